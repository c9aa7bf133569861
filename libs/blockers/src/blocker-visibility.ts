import { Actor, seesAll, stewardOf } from '@app/core';

/**
 * The confidentiality rule, once, as SQL: a confidential blocker is visible only to ADMIN, STEERING and
 * stewards of the reporting, owning, endorsing or affected (requester or supplier) providers. To
 * everyone else it does not exist. `alias` is the blocker table's alias in the surrounding query.
 */
export function visibleSql(actor: Actor, alias: string): { sql: string; params: Record<string, unknown> } {
  if (seesAll(actor)) return { sql: 'TRUE', params: {} };
  const provider = stewardOf(actor);
  if (!provider) return { sql: `${alias}.confidential = FALSE`, params: {} };
  const param = `visibleTo_${alias}`;
  return {
    sql: `(${alias}.confidential = FALSE
      OR ${alias}.reporting_provider_id = :${param}
      OR ${alias}.owner_id = :${param}
      OR EXISTS (SELECT 1 FROM endorsement ve WHERE ve.blocker_id = ${alias}.id AND ve.provider_id = :${param})
      OR EXISTS (SELECT 1 FROM blocker_need vbn JOIN data_need vn ON vn.id = vbn.need_id
                 WHERE vbn.blocker_id = ${alias}.id AND (vn.requester_id = :${param} OR vn.supplier_id = :${param})))`,
    params: { [param]: provider },
  };
}

/** The same rule for raw SQL with positional parameters: `$n` is the steward's provider id. */
export function visibleRawSql(
  actor: Actor,
  alias: string,
  paramIndex: number,
): { sql: string; param: string | null } {
  if (seesAll(actor)) return { sql: 'TRUE', param: null };
  const provider = stewardOf(actor);
  if (!provider) return { sql: `${alias}.confidential = FALSE`, param: null };
  const p = `$${paramIndex}::uuid`;
  return {
    sql: `(${alias}.confidential = FALSE
      OR ${alias}.reporting_provider_id = ${p}
      OR ${alias}.owner_id = ${p}
      OR EXISTS (SELECT 1 FROM endorsement ve WHERE ve.blocker_id = ${alias}.id AND ve.provider_id = ${p})
      OR EXISTS (SELECT 1 FROM blocker_need vbn JOIN data_need vn ON vn.id = vbn.need_id
                 WHERE vbn.blocker_id = ${alias}.id AND (vn.requester_id = ${p} OR vn.supplier_id = ${p})))`,
    param: provider,
  };
}

/** What the rule looks at, for a blocker held in memory (the analytics index). */
export interface BlockerVisibilityFacts {
  confidential: boolean;
  reportingProviderId: string | null;
  ownerId: string | null;
  /** Does this provider endorse the blocker? */
  endorsedBy: (providerId: string) => boolean;
  /** Is this provider the requester or supplier of a need the blocker affects? */
  affects: (providerId: string) => boolean;
}

/** The same rule over facts in memory: a predicate deciding as visibleRawSql's condition does. */
export function visibleInMemory(actor: Actor): (facts: BlockerVisibilityFacts) => boolean {
  if (seesAll(actor)) return () => true;
  const provider = stewardOf(actor);
  if (!provider) return (b) => !b.confidential;
  return (b) =>
    !b.confidential ||
    b.reportingProviderId === provider ||
    b.ownerId === provider ||
    b.endorsedBy(provider) ||
    b.affects(provider);
}

/** Which viewers see the same blockers: a key for caching what depends only on visibility. */
export function visibilityClass(actor: Actor): string {
  if (seesAll(actor)) return 'all';
  const provider = stewardOf(actor);
  return provider ? `steward:${provider}` : 'public';
}
