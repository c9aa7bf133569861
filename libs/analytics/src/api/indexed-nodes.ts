/**
 * Schema nodes made from rows of the analytics index (ADR 10), for answers that list thousands of
 * entities of which the query asks only what the index holds. Such a node carries only the fields in
 * FROM_INDEX of its type (and the ids its field resolvers start from); a query that asks any other
 * field gets nodes made from the stored rows instead (`AnalyticsService.entities`).
 */
import { BlockerEntity } from '@app/blockers';
import { BlockerNode } from '@app/blockers/api';
import { toGlobalId } from '@app/core';
import { asksOnly } from '@app/core/graphql';
import { DataNeedEntity } from '@app/needs';
import { DataNeedNode } from '@app/needs/api';
import { ProviderEntity } from '@app/providers';
import { ProviderNode } from '@app/providers/api';
import { BlockerRow, NeedRow, ProviderRow } from '../domain/registry-index';

/** The fields a node made from the index answers, by type. */
export const FROM_INDEX = {
  /** requester, supplier and dataset resolve through the request's loaders from the ids. */
  DataNeed: new Set(['__typename', 'id', 'annualCases', 'requester', 'supplier', 'dataset']),
  Provider: new Set(['__typename', 'id', 'name']),
  Blocker: new Set(['__typename', 'id', 'key']),
} as const;

export function needNode(row: NeedRow): DataNeedNode {
  return Object.assign(new DataNeedNode(), {
    __typename: 'DataNeed' as const,
    id: toGlobalId('DataNeed', row.id),
    localId: row.id,
    requesterId: row.requesterId,
    supplierId: row.supplierId,
    datasetId: row.datasetId,
    annualCases: row.annualCases,
  });
}

export function providerNode(row: ProviderRow): ProviderNode {
  return Object.assign(new ProviderNode(), {
    __typename: 'Provider' as const,
    id: toGlobalId('Provider', row.id),
    localId: row.id,
    name: row.name,
  });
}

export function blockerNode(row: BlockerRow): BlockerNode {
  return Object.assign(new BlockerNode(), {
    __typename: 'Blocker' as const,
    id: toGlobalId('Blocker', row.id),
    localId: row.id,
    key: `KNP-${row.number}`,
  });
}

/** The stored rows a set of answer lists needs, by id. */
export interface LoadedRows {
  needs: ReadonlyMap<string, DataNeedEntity>;
  providers: ReadonlyMap<string, ProviderEntity>;
  blockers: ReadonlyMap<string, BlockerEntity>;
}

type Kind = keyof typeof FROM_INDEX;

/**
 * Which answer fields can be made from the index, given what the query asks: `rowsNeeded` collects the
 * ids whose stored rows must be read, `nodes` then makes each list, from the index or from those rows
 * (leaving out a row that is no longer there, as a read of the rows would).
 */
export class IndexedAnswer {
  private readonly ids: Record<Kind, string[]> = { DataNeed: [], Provider: [], Blocker: [] };

  constructor(private readonly asked: ReadonlyMap<string, ReadonlySet<string>>) {}

  fromIndex(field: string, kind: Kind): boolean {
    return asksOnly(this.asked, field, FROM_INDEX[kind]);
  }

  /** Note the rows of `field` for reading when the query asks more of them than the index holds. */
  need(field: string, kind: Kind, rows: ReadonlyArray<{ id: string }>): void {
    if (!this.fromIndex(field, kind)) for (const row of rows) this.ids[kind].push(row.id);
  }

  get needed(): { needs: string[]; providers: string[]; blockers: string[] } {
    return { needs: this.ids.DataNeed, providers: this.ids.Provider, blockers: this.ids.Blocker };
  }

  nodes<R extends { id: string }, E, N>(
    field: string,
    kind: Kind,
    rows: readonly R[],
    fromRow: (row: R) => N,
    stored: ReadonlyMap<string, E>,
    fromEntity: (entity: E) => N,
  ): N[] {
    if (this.fromIndex(field, kind)) return rows.map(fromRow);
    const nodes: N[] = [];
    for (const row of rows) {
      const entity = stored.get(row.id);
      if (entity !== undefined) nodes.push(fromEntity(entity));
    }
    return nodes;
  }
}
