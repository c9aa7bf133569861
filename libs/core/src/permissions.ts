import { Actor, hasRole, Role, stewardOf } from './actor';
import { ForbiddenError } from './errors';

/**
 * The permission rules of the brief, each stated once. ANALYST holds no mutation right; ADMIN holds
 * every right. Confidentiality (who may see a blocker) lives with the blockers' queries.
 */
export const Permissions = {
  manageProviders: (actor: Actor): boolean => hasRole(actor, Role.ADMIN),

  registerDataset: (actor: Actor, holderId: string): boolean =>
    hasRole(actor, Role.ADMIN) || stewardOf(actor) === holderId,

  /** STEERING and ADMIN declare needs for any requester; a steward only for their own provider. */
  declareAnyNeed: (actor: Actor): boolean => hasRole(actor, Role.ADMIN, Role.STEERING),

  declareNeed: (actor: Actor, requesterId: string): boolean =>
    Permissions.declareAnyNeed(actor) || stewardOf(actor) === requesterId,

  updateNeed: (actor: Actor, need: { requesterId: string }): boolean =>
    hasRole(actor, Role.ADMIN, Role.STEERING) || stewardOf(actor) === need.requesterId,

  /** A steward may report when their provider is requester or supplier of at least one affected need. */
  reportBlocker: (actor: Actor, needs: Array<{ requesterId: string; supplierId: string }>): boolean => {
    if (hasRole(actor, Role.ADMIN, Role.STEERING)) return true;
    const own = stewardOf(actor);
    return own !== null && needs.some((n) => n.requesterId === own || n.supplierId === own);
  },

  /** Update, link and unlink needs: stewards of the reporting or owning provider, STEERING, ADMIN. */
  updateBlocker: (
    actor: Actor,
    blocker: { reportingProviderId: string; ownerId: string | null },
  ): boolean => {
    if (hasRole(actor, Role.ADMIN, Role.STEERING)) return true;
    const own = stewardOf(actor);
    return own !== null && (own === blocker.reportingProviderId || own === blocker.ownerId);
  },

  /** Comment on a blocker the actor can see. */
  comment: (actor: Actor): boolean => hasRole(actor, Role.ADMIN, Role.STEERING) || stewardOf(actor) !== null,

  endorse: (actor: Actor, blocker: { reportingProviderId: string }): boolean => {
    const own = stewardOf(actor);
    return own !== null && own !== blocker.reportingProviderId;
  },

  steer: (actor: Actor): boolean => hasRole(actor, Role.ADMIN, Role.STEERING),

  /**
   * Record an endorsement or a comment made earlier in another registry, in the name of its original
   * author (an import of a registry document): ADMIN only.
   */
  recordOnBehalf: (actor: Actor): boolean => hasRole(actor, Role.ADMIN),
};

export function ensure(allowed: boolean, message: string): void {
  if (!allowed) throw new ForbiddenError(message);
}
