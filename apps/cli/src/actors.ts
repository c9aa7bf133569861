import { Injectable } from '@nestjs/common';
import { AuthService } from '@app/auth';
import { Actor } from '@app/core';
import { ProvidersService } from '@app/providers';
import { ActingAs, UsageError } from './args';

/**
 * The user a command acts as. They are recorded like a user signing in with a token (AuthService), so
 * that audit events name them, and the services apply the same permissions and confidentiality rule.
 */
@Injectable()
export class CliActors {
  constructor(
    private readonly auth: AuthService,
    private readonly providers: ProvidersService,
  ) {}

  async resolve(as: ActingAs): Promise<Actor> {
    let org: string | null = null;
    if (as.org) {
      const provider = await this.providers.findByIdentifier(as.org);
      if (!provider) throw new UsageError(`--as: no provider is known as "${as.org}"`);
      org = provider.oin ?? provider.tooiUri;
      if (!org) throw new UsageError(`--as: ${provider.name} has no OIN or TOOI URI to act for`);
    }
    const sub = as.subject ?? `cli-${as.role.toLowerCase()}${org ? `-${org}` : ''}`;
    return this.auth.recordUser({
      sub,
      name: as.subject ?? `Command line (${as.role}${as.org ? ` for ${as.org}` : ''})`,
      roles: [as.role],
      org,
    });
  }
}
