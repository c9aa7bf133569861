import { ConfigError } from '@app/config/app-config';
import { AppConfig } from '@app/config/config.service';
import { Role } from '@app/core/actor';
import { signToken } from './auth.service';

export interface LocalTokenRequest {
  roles: string[];
  /** OIN or TOOI URI of a steward's provider. */
  org?: string;
  sub?: string;
  name?: string;
  hours?: string;
}

/**
 * A bearer token signed with the configured AUTH_JWT_SECRET (or the development secret), for
 * `npm run token` and `knooppunt token`. Bad requests are ConfigErrors with a readable message.
 */
export function localToken(config: AppConfig, request: LocalTokenRequest): string {
  const roles = request.roles.map((r) => r.toUpperCase());
  const unknown = roles.filter((r) => !(r in Role));
  if (unknown.length > 0)
    throw new ConfigError(`unknown role ${unknown.join(', ')}; use ${Object.keys(Role).join(', ')}`);
  if (roles.includes(Role.STEWARD) && !request.org)
    throw new ConfigError('a STEWARD token needs --org (OIN or TOOI URI)');
  const hours = Number(request.hours ?? '12');
  if (!Number.isFinite(hours) || hours <= 0) throw new ConfigError('--hours must be a positive number');
  if (config.jwtSecret === null)
    throw new ConfigError(
      'local tokens are switched off (AUTH_DISABLE_LOCAL_TOKENS, or AUTH_JWKS_URL without AUTH_JWT_SECRET)',
    );
  const org = request.org ?? null;
  const sub = request.sub ?? `local-${roles.join('-').toLowerCase()}${org ? `-${org}` : ''}`;
  return signToken(
    config.jwtSecret,
    { sub, name: request.name ?? `Local ${roles.join('/')}`, roles: roles as Role[], org },
    Math.round(hours * 3600),
  );
}
