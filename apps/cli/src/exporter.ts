import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { BlockerFilterValues, blockerQuery, BlockerNeedEntity, layerOf } from '@app/blockers';
import { UserEntity } from '@app/auth';
import {
  BlockerDependencyEntity,
  CommentEntity,
  EndorsementEntity,
} from '@app/blockers/entities/links.entity';
import { Actor, TransactionService } from '@app/core';
import { DataNeedEntity } from '@app/needs';
import { DatasetEntity, ProviderEntity } from '@app/providers';
import {
  DocBlocker,
  DocUser,
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  providerRef,
  RegistryDocument,
} from './registry-document';

/** One line per blocker, as the steering group reads an export (CSV and XLSX). */
export interface SteeringRow {
  key: string;
  title: string;
  status: string;
  layer: string;
  type: string;
  severity: string;
  priority_score: number;
  priority_level: string;
  agenda_rank: number | null;
  decision_rationale: string;
  owner: string;
  reporter: string;
  providers: string;
  needs: string;
  datasets: string;
  people_affected: number | null;
  annual_cases: number | null;
  manual_hours: number | null;
  confidential: string;
  resolution: string;
  depends_on: string;
  reported_on: string;
  status_since: string;
}

export const STEERING_COLUMNS: Array<keyof SteeringRow> = [
  'key',
  'title',
  'status',
  'layer',
  'type',
  'severity',
  'priority_score',
  'priority_level',
  'agenda_rank',
  'decision_rationale',
  'owner',
  'reporter',
  'providers',
  'needs',
  'datasets',
  'people_affected',
  'annual_cases',
  'manual_hours',
  'confidential',
  'resolution',
  'depends_on',
  'reported_on',
  'status_since',
];

/**
 * Reads the registry for an export, as the acting user may see it: the blockers come from the same
 * query as the API's lists (blockerQuery, which applies the confidentiality rule and the filter).
 * Providers, datasets and needs are not confidential and are exported whole.
 */
@Injectable()
export class RegistryExporter {
  constructor(private readonly tx: TransactionService) {}

  async document(actor: Actor, filter: BlockerFilterValues): Promise<RegistryDocument> {
    const m = this.tx.manager;
    const providers = await m.getRepository(ProviderEntity).find({ order: { name: 'ASC', id: 'ASC' } });
    const refOf = new Map(providers.map((p) => [p.id, providerRef(p)]));
    const datasets = await m.getRepository(DatasetEntity).find({ order: { name: 'ASC', id: 'ASC' } });
    const datasetOf = new Map(datasets.map((d) => [d.id, d.code ?? d.name]));
    // Needs in their natural order (requester, supplier, purpose), so that their refs do not depend on
    // when or in which transaction they were declared.
    const sortKey = (n: DataNeedEntity): string =>
      [refOf.get(n.requesterId)!, refOf.get(n.supplierId)!, n.purpose].join('\u0000');
    const needs = (await m.getRepository(DataNeedEntity).find()).sort((a, b) =>
      sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0,
    );
    const needRef = new Map(needs.map((n, i) => [n.id, `N${i + 1}`]));
    const blockers = await blockerQuery(m, actor, filter).orderBy('b.number').getMany();
    const ids = blockers.map((b) => b.id);
    const keyOf = new Map(blockers.map((b) => [b.id, `KNP-${b.number}`]));
    const links = ids.length
      ? await m
          .getRepository(BlockerNeedEntity)
          .find({ where: { blockerId: In(ids) }, order: { createdAt: 'ASC' } })
      : [];
    const deps = ids.length
      ? await m.getRepository(BlockerDependencyEntity).find({ where: { blockerId: In(ids) } })
      : [];
    const ref = (id: string | null): string | null => (id ? refOf.get(id)! : null);
    const endorsements = ids.length
      ? await m
          .getRepository(EndorsementEntity)
          .find({ where: { blockerId: In(ids) }, order: { createdAt: 'ASC', providerId: 'ASC' } })
      : [];
    const comments = ids.length
      ? await m
          .getRepository(CommentEntity)
          .find({ where: { blockerId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } })
      : [];
    const userIds = [
      ...new Set([
        ...endorsements.flatMap((e) => (e.userId ? [e.userId] : [])),
        ...comments.map((c) => c.authorId),
      ]),
    ];
    const users = new Map(
      (userIds.length ? await m.getRepository(UserEntity).findBy({ id: In(userIds) }) : []).map((u) => [
        u.id,
        u,
      ]),
    );
    const user = (id: string | null): DocUser | null => {
      const u = id ? users.get(id) : undefined;
      return u
        ? { subject: u.subject, name: u.name, roles: [...u.roles].sort(), provider: ref(u.providerId) }
        : null;
    };
    return {
      format: DOCUMENT_FORMAT,
      version: DOCUMENT_VERSION,
      exportedAt: new Date().toISOString(),
      providers: providers.map((p) => ({
        ref: refOf.get(p.id)!,
        name: p.name,
        abbreviation: p.abbreviation,
        kind: p.kind,
        oin: p.oin,
        tooiUri: p.tooiUri,
        parent: ref(p.parentId),
      })),
      datasets: datasets.map((d) => ({
        holder: refOf.get(d.holderId)!,
        name: d.name,
        code: d.code,
        description: d.description,
        isBaseRegistry: d.isBaseRegistry,
        containsPersonalData: d.containsPersonalData,
      })),
      needs: needs.map((n) => ({
        ref: needRef.get(n.id)!,
        requester: refOf.get(n.requesterId)!,
        supplier: refOf.get(n.supplierId)!,
        dataset: n.datasetId ? datasetOf.get(n.datasetId)! : null,
        dataElements: n.dataElements,
        purpose: n.purpose,
        service: n.service,
        legalBasis: n.legalBasis,
        annualCases: n.annualCases,
        state: n.state,
      })),
      blockers: blockers.map((b): DocBlocker => ({
        key: keyOf.get(b.id)!,
        title: b.title,
        description: b.description,
        type: b.type,
        layer: layerOf(b.type),
        severity: b.severity,
        perceived: b.perceived,
        legalReference: b.legalReference,
        confidential: b.confidential,
        reportingProvider: ref(b.reportingProviderId),
        owner: ref(b.ownerId),
        status: b.status,
        priorityScore: b.priorityScore,
        impact: {
          peopleAffectedPerYear: b.peopleAffectedPerYear,
          businessesAffectedPerYear: b.businessesAffectedPerYear,
          manualHoursPerYear: b.manualHoursPerYear,
          costPerYearEur: b.costPerYearEur === null ? null : Number(b.costPerYearEur),
        },
        effort: b.effort,
        targetDate: b.targetDate,
        affectedNeeds: links.filter((l) => l.blockerId === b.id).map((l) => needRef.get(l.needId)!),
        // Only prerequisites the export holds: a hidden or filtered-out blocker is not named.
        dependsOn: deps
          .filter((d) => d.blockerId === b.id && keyOf.has(d.dependsOnId))
          .map((d) => keyOf.get(d.dependsOnId)!)
          .sort(byKey),
        resolution: b.resolutionKind
          ? { kind: b.resolutionKind, summary: b.resolutionSummary ?? '', reference: b.resolutionReference }
          : null,
        decision: b.priorityLevel
          ? { level: b.priorityLevel, rank: b.priorityRank, rationale: b.priorityRationale ?? '' }
          : null,
        duplicateOf: b.duplicateOfId ? (keyOf.get(b.duplicateOfId) ?? null) : null,
        endorsements: endorsements
          .filter((e) => e.blockerId === b.id)
          .map((e) => ({
            provider: refOf.get(e.providerId)!,
            user: user(e.userId),
            note: e.note,
            date: e.createdAt.toISOString(),
          })),
        comments: comments
          .filter((c) => c.blockerId === b.id)
          .map((c) => ({ author: user(c.authorId)!, body: c.body, date: c.createdAt.toISOString() })),
      })),
    };
  }

  /** The steering group's table: one row per blocker, from the same document. */
  async steeringRows(actor: Actor, filter: BlockerFilterValues): Promise<SteeringRow[]> {
    const doc = await this.document(actor, filter);
    const blockers = await blockerQuery(this.tx.manager, actor, filter).orderBy('b.number').getMany();
    const entity = new Map(blockers.map((b) => [`KNP-${b.number}`, b]));
    const provider = new Map(doc.providers.map((p) => [p.ref, p.abbreviation ?? p.name]));
    const name = (ref: string | null): string => (ref ? (provider.get(ref) ?? ref) : '');
    const need = new Map(doc.needs.map((n) => [n.ref, n]));
    const unique = (items: string[]): string => [...new Set(items)].join('; ');
    return doc.blockers.map((b) => {
      const e = entity.get(b.key)!;
      const needs = b.affectedNeeds.map((r) => need.get(r)!);
      const cases = needs.filter((n) => n.annualCases !== null);
      return {
        key: b.key,
        title: b.title,
        status: b.status,
        layer: b.layer ?? layerOf(b.type),
        type: b.type,
        severity: b.severity,
        priority_score: Math.round(e.priorityScore * 10) / 10,
        priority_level: b.decision?.level ?? '',
        agenda_rank: b.decision?.rank ?? null,
        decision_rationale: b.decision?.rationale ?? '',
        owner: name(b.owner),
        reporter: name(b.reportingProvider),
        providers: unique(needs.flatMap((n) => [name(n.requester), name(n.supplier)])),
        needs: needs.map((n) => `${name(n.requester)} from ${name(n.supplier)}: ${n.purpose}`).join('; '),
        datasets: unique(needs.flatMap((n) => (n.dataset ? [n.dataset] : []))),
        people_affected: b.impact.peopleAffectedPerYear,
        annual_cases: cases.length ? cases.reduce((s, n) => s + n.annualCases!, 0) : null,
        manual_hours: b.impact.manualHoursPerYear,
        confidential: b.confidential ? 'yes' : 'no',
        resolution: b.resolution ? `${b.resolution.kind}: ${b.resolution.summary}` : '',
        depends_on: b.dependsOn.join('; '),
        reported_on: e.createdAt.toISOString().slice(0, 10),
        status_since: e.statusChangedAt.toISOString().slice(0, 10),
      };
    });
  }
}

const byKey = (a: string, b: string): number => Number(a.slice(4)) - Number(b.slice(4));
