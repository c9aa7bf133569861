import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Args } from '@nestjs/graphql';
import { BadUserInputError } from '../errors';

/**
 * The arguments of a field resolver that stays a plain function (see `NoArgs`): like `@Args()` on an
 * `@ArgsType()` class it declares them in the schema, but it leaves no parameter metadata, so that
 * @nestjs/graphql calls the resolver itself with graphql-js's `(parent, args, context, info)` instead
 * of through its context creator (a chain of promises per call, the global pipe on every parameter).
 * The arguments arrive as graphql-js coerced them (defaults applied, keyed by their schema names) and
 * no pipe sees them: the resolver checks them itself (`noNul`, `pageSize`).
 */
export function FieldArgs(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('@FieldArgs() belongs on a resolver method parameter');
    const owner = target.constructor;
    const before: unknown = Reflect.getOwnMetadata(ROUTE_ARGS_METADATA, owner, key);
    Args()(target, key, index);
    if (before === undefined) Reflect.deleteMetadata(ROUTE_ARGS_METADATA, owner, key);
    else Reflect.defineMetadata(ROUTE_ARGS_METADATA, before, owner, key);
  };
}

/** What the input pipe refuses in any string argument: PostgreSQL text cannot hold NUL. */
export function noNul<T extends string | null | undefined>(value: T, field: string): T {
  if (typeof value === 'string' && value.includes('\u0000')) {
    throw BadUserInputError.field(field, 'must not contain NUL characters');
  }
  return value;
}
