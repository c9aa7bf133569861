import { Role } from '@app/core';

/** What Knooppunt reads from a bearer token. */
export interface TokenClaims {
  sub: string;
  name: string;
  roles: Role[];
  /** OIN or TOOI URI of a steward's provider. */
  org: string | null;
}

/** How a token's claims are read: local tokens use the defaults, an identity provider may differ. */
export interface ClaimOptions {
  /** Claim name or dotted path of the roles (default `roles`). */
  rolesClaim?: string;
  /** Claim name or dotted path of a steward's OIN or TOOI URI (default `org`). */
  orgClaim?: string;
  /**
   * Drop roles Knooppunt does not know instead of refusing the token: an identity provider lists the
   * roles of every application (offline_access, ...). At least one known role is still required.
   */
  ignoreUnknownRoles?: boolean;
}

const ROLES = new Set<string>(Object.values(Role));

/**
 * The value of a claim: the claim of exactly that name when there is one (names such as
 * `https://example.nl/roles` contain dots), else the value at the dotted path (`realm_access.roles`).
 * Only own properties count, so a path never reaches into prototypes.
 */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Check the claims' shapes; returns a reason when they do not fit. */
export function readClaims(
  payload: Record<string, unknown>,
  options: ClaimOptions = {},
): TokenClaims | string {
  const rolesClaim = options.rolesClaim ?? 'roles';
  const orgClaim = options.orgClaim ?? 'org';
  const { sub, name, exp } = payload;
  const roles = claimAt(payload, rolesClaim);
  const org = claimAt(payload, orgClaim);
  if (typeof exp !== 'number') return 'the token has no expiry (exp)';
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255)
    return 'the token has no subject (sub)';
  const listed = Array.isArray(roles) && roles.every((r) => typeof r === 'string') ? roles : null;
  const granted = listed && options.ignoreUnknownRoles ? listed.filter((r) => ROLES.has(r)) : listed;
  if (!granted || granted.length === 0 || !granted.every((r) => ROLES.has(r))) {
    const what = rolesClaim === 'roles' ? "the token's roles" : `the token's roles (claim ${rolesClaim})`;
    return `${what} must be a non-empty list of ${[...ROLES].join(', ')}`;
  }
  if (org !== undefined && org !== null && (typeof org !== 'string' || org.length > 255))
    return orgClaim === 'org' ? 'org must be a string' : `org (claim ${orgClaim}) must be a string`;
  if (granted.includes(Role.STEWARD) && !org) {
    const where = orgClaim === 'org' ? 'org' : `org (claim ${orgClaim})`;
    return `a steward token needs ${where}: the OIN or TOOI URI of the provider`;
  }
  return {
    sub,
    name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : sub,
    roles: [...new Set(granted as Role[])],
    org: typeof org === 'string' ? org : null,
  };
}
