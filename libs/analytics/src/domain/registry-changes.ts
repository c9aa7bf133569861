/**
 * Which rows of the registry a run of audit events may have changed, as a pure function: the events
 * name their entity and blocker, and the global IDs in their field changes name the other rows they
 * touched (a dependency's prerequisite, the duplicate of a merge, a need's requester). An action this
 * function does not know means the index cannot tell what changed: rebuild.
 */
import { parseGlobalId } from '@app/core/global-id';

export interface AuditEventRef {
  chainSeq: number;
  action: string;
  entityType: string;
  entityId: string;
  blockerId: string | null;
  changes: ReadonlyArray<{ field: string; from?: unknown; to?: unknown }> | null;
}

export interface ChangedIds {
  blockers: Set<string>;
  needs: Set<string>;
  providers: Set<string>;
  datasets: Set<string>;
}

/** Every action the application records; the ones that change no analytics row are harmless here. */
export const KNOWN_ACTIONS: ReadonlySet<string> = new Set([
  'blocker.reported',
  'blocker.updated',
  'blocker.transitioned',
  'blocker.merged',
  'blocker.need_linked',
  'blocker.need_unlinked',
  'blocker.dependency_added',
  'blocker.dependency_removed',
  'blocker.endorsed',
  'blocker.endorsement_withdrawn',
  'steering.decided',
  'steering.rank_shifted',
  'priority.urgency_changed',
  'comment.added',
  'need.declared',
  'need.updated',
  'provider.created',
  'provider.updated',
  'dataset.registered',
]);

const TYPES: Record<string, keyof ChangedIds> = {
  Blocker: 'blockers',
  DataNeed: 'needs',
  Provider: 'providers',
  Dataset: 'datasets',
};

/** A global ID of a registry row, or null. */
function decode(value: unknown): { kind: keyof ChangedIds; id: string } | null {
  const ref = typeof value === 'string' ? parseGlobalId(value) : null;
  const kind = ref ? TYPES[ref.type] : undefined;
  return ref && kind ? { kind, id: ref.id } : null;
}

/** The ids the events name, or null when one of them has an action not known here. */
export function changedIds(events: Iterable<AuditEventRef>): ChangedIds | null {
  const ids: ChangedIds = {
    blockers: new Set(),
    needs: new Set(),
    providers: new Set(),
    datasets: new Set(),
  };
  const note = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) note(v);
      return;
    }
    const ref = decode(value);
    if (ref) ids[ref.kind].add(ref.id);
  };
  for (const e of events) {
    if (!KNOWN_ACTIONS.has(e.action)) return null;
    const kind = TYPES[e.entityType];
    if (kind) ids[kind].add(e.entityId);
    if (e.blockerId) ids.blockers.add(e.blockerId);
    for (const c of e.changes ?? []) {
      note(c.from);
      note(c.to);
    }
  }
  return ids;
}
