import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '@app/core';
import { contextOf, PUBLIC_FIELD } from '@app/core/graphql';

/** No data without a valid token: every root field but the public ones needs an actor. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_FIELD, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const { actor, authError } = contextOf(context);
    if (!actor) throw authError ?? new UnauthenticatedError();
    return true;
  }
}
