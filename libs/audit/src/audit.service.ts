import { Injectable } from '@nestjs/common';
import {
  Actor,
  AlongsideStatement,
  keysetPage,
  Page,
  PageArgs,
  toGlobalId,
  TransactionService,
} from '@app/core';
import { AuditEventEntity, FieldChange } from './entities/audit-event.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  /** The blocker this event belongs to (for Blocker.history), when any. */
  blockerId?: string | null;
  changes: FieldChange[];
  reason?: string | null;
}

const normalise = (value: unknown): unknown => {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
};

/** Reference fields (`ownerId`) are recorded under the relation's name (`owner`) with a global ID. */
const REFERENCES: Record<string, { field: string; type: string }> = {
  parentId: { field: 'parent', type: 'Provider' },
  holderId: { field: 'holder', type: 'Provider' },
  requesterId: { field: 'requester', type: 'Provider' },
  supplierId: { field: 'supplier', type: 'Provider' },
  datasetId: { field: 'dataset', type: 'Dataset' },
  reportingProviderId: { field: 'reportingProvider', type: 'Provider' },
  ownerId: { field: 'owner', type: 'Provider' },
  duplicateOfId: { field: 'duplicateOf', type: 'Blocker' },
};

/** Field-by-field changes between two versions of a record, for the given fields. */
export function diff<T extends object>(
  before: Partial<T> | null,
  after: Partial<T>,
  fields: Array<keyof T>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = normalise(before ? before[field] : null);
    const to = normalise(after[field]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const reference = REFERENCES[String(field)];
    if (reference) {
      const id = (value: unknown) =>
        typeof value === 'string' || typeof value === 'number' ? toGlobalId(reference.type, value) : null;
      changes.push({ field: reference.field, from: id(from), to: id(to) });
    } else {
      changes.push({ field: String(field), from, to });
    }
  }
  return changes;
}

/**
 * The audit trail. `record` must be called inside the transaction of the change it describes, so the
 * event and the change commit or fail together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly tx: TransactionService) {}

  async record(actor: Actor | null, event: AuditRecord): Promise<void> {
    const { sql, params } = this.insert(actor, event)(1);
    await this.tx.manager.query(sql, params);
  }

  /**
   * The event's INSERT, to run inside another statement of the same transaction (`record` runs it on
   * its own). The caller must run it: the event and the change commit or fail together.
   */
  insert(actor: Actor | null, event: AuditRecord): AlongsideStatement {
    if (!this.tx.inTransaction)
      throw new Error('audit events are written inside the transaction of their change');
    // Plain SQL: the triggers fill the rest (the chain at commit, ADR 14); nothing needs to come back.
    return (n) => ({
      sql: `INSERT INTO audit_event (actor_id, action, entity_type, entity_id, blocker_id, changes, reason)
            VALUES ($${n}, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb, $${n + 6})`,
      params: [
        actor?.userId ?? null,
        event.action,
        event.entityType,
        event.entityId,
        event.blockerId ?? null,
        JSON.stringify(event.changes),
        event.reason ?? null,
      ],
    });
  }

  /** A blocker's history, newest first (the identity column follows the order of writing). */
  async historyOf(blockerId: string, args: PageArgs): Promise<Page<AuditEventEntity>> {
    const qb = this.tx.manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.blocker_id = :blockerId', { blockerId });
    return keysetPage(
      qb,
      args,
      { expr: null, type: 'bigint', idType: 'bigint', direction: 'DESC', name: 'newest' },
      (e) => e,
    );
  }

  async byId(id: string): Promise<AuditEventEntity | null> {
    return this.tx.manager.getRepository(AuditEventEntity).findOneBy({ id });
  }
}
