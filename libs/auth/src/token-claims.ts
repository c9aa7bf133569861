import { Role } from '@app/core';

/** What Knooppunt reads from a bearer token. */
export interface TokenClaims {
  sub: string;
  name: string;
  roles: Role[];
  /** OIN or TOOI URI of a steward's provider. */
  org: string | null;
}

const ROLES = new Set<string>(Object.values(Role));

/** Check the claims' shapes; returns a reason when they do not fit. */
export function readClaims(payload: Record<string, unknown>): TokenClaims | string {
  const { sub, name, roles, org, exp } = payload;
  if (typeof exp !== 'number') return 'the token has no expiry (exp)';
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255)
    return 'the token has no subject (sub)';
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((r) => typeof r === 'string' && ROLES.has(r))
  ) {
    return `the token's roles must be a non-empty list of ${[...ROLES].join(', ')}`;
  }
  if (org !== undefined && org !== null && (typeof org !== 'string' || org.length > 255))
    return 'org must be a string';
  if (roles.includes(Role.STEWARD) && !org)
    return 'a steward token needs org: the OIN or TOOI URI of the provider';
  return {
    sub,
    name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : sub,
    roles: [...new Set(roles as Role[])],
    org: typeof org === 'string' ? org : null,
  };
}
