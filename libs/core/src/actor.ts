export enum Role {
  ADMIN = 'ADMIN',
  STEERING = 'STEERING',
  STEWARD = 'STEWARD',
  ANALYST = 'ANALYST',
}

/** Who is acting: the authenticated user as the services see it. */
export interface Actor {
  userId: string;
  subject: string;
  name: string;
  roles: Role[];
  /** The provider a steward acts for (resolved from the token's `org`); null for other roles. */
  providerId: string | null;
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean =>
  roles.some((r) => actor.roles.includes(r));

/** ADMIN and STEERING see everything, confidential blockers included. */
export const seesAll = (actor: Actor): boolean => hasRole(actor, Role.ADMIN, Role.STEERING);

/** The provider this actor acts for as a steward, or null. */
export const stewardOf = (actor: Actor): string | null =>
  hasRole(actor, Role.STEWARD) ? actor.providerId : null;
