import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  BlockersService,
  BlockerStatus,
  BlockerType,
  Effort,
  pathBetween,
  RelationsService,
  ResolutionKind,
  Severity,
  WorkflowService,
} from '@app/blockers';
import { Actor, Role } from '@app/core';
import { NeedsService } from '@app/needs';
import { DatasetsService, ProviderKind, ProvidersService } from '@app/providers';
import referenceData from './reference-data.json';

export interface ReferenceData {
  providers: Array<{
    key: string;
    name: string;
    abbreviation: string | null;
    kind: ProviderKind;
    oin: string | null;
    tooiUri: string | null;
    parent: string | null;
  }>;
  datasets: Array<{
    key: string;
    holder: string;
    name: string;
    code: string | null;
    isBaseRegistry: boolean;
    containsPersonalData: boolean;
    description: string | null;
  }>;
  needs: Array<{
    key: string;
    requester: string;
    supplier: string;
    dataset: string | null;
    dataElements: string[];
    purpose: string;
    service: string | null;
    legalBasis: string | null;
    annualCases: number | null;
  }>;
  blockers: Array<{
    key: string;
    title: string;
    description: string;
    type: BlockerType;
    severity: Severity;
    perceived: boolean;
    legalReference: string | null;
    affectedNeeds: string[];
    reportingProvider: string;
    owner: string | null;
    status: BlockerStatus;
    impact: { peopleAffectedPerYear?: number | null; manualHoursPerYear?: number | null };
    effort: Effort | null;
    dependsOn: string[];
    confidential: boolean;
    resolution?: { kind: ResolutionKind; summary: string; reference: string | null };
  }>;
}

export const DEMO_SUBJECT = 'knooppunt:demo-data';
const REASON = 'Status as recorded in the reference data';

/** The reference data shipped with the project (a copy of the shared reference file). */
export function readReferenceData(): ReferenceData {
  return referenceData as unknown as ReferenceData;
}

/**
 * Loads the reference data through the same services as the API: providers, datasets, needs, then
 * blockers in file order (the first becomes KNP-1), their dependencies, and each blocker's status
 * reached through recorded transitions. Runs only on an empty registry.
 */
@Injectable()
export class DemoDataLoader {
  private readonly logger = new Logger('DemoData');

  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: ProvidersService,
    private readonly datasets: DatasetsService,
    private readonly needs: NeedsService,
    private readonly blockers: BlockersService,
    private readonly relations: RelationsService,
    private readonly workflow: WorkflowService,
  ) {}

  async loadIfEmpty(): Promise<boolean> {
    const [{ count }]: Array<{ count: string }> = await this.dataSource.query('SELECT count(*) FROM provider');
    if (Number(count) > 0) return false;
    await this.load(readReferenceData());
    return true;
  }

  async load(data: ReferenceData): Promise<void> {
    const actor = await this.systemActor();
    const providerIds = new Map<string, string>();
    for (const p of data.providers) {
      const saved = await this.providers.create(actor, {
        name: p.name,
        abbreviation: p.abbreviation,
        kind: p.kind,
        oin: p.oin,
        tooiUri: p.tooiUri,
        parentId: p.parent ? providerIds.get(p.parent) : null,
      });
      providerIds.set(p.key, saved.id);
    }
    const provider = (key: string): string => {
      const id = providerIds.get(key);
      if (!id) throw new Error(`reference data names an unknown provider ${key}`);
      return id;
    };
    const datasetIds = new Map<string, string>();
    for (const d of data.datasets) {
      const saved = await this.datasets.register(actor, { ...d, holderId: provider(d.holder) });
      datasetIds.set(d.key, saved.id);
    }
    const needIds = new Map<string, string>();
    for (const n of data.needs) {
      const saved = await this.needs.declare(actor, {
        ...n,
        requesterId: provider(n.requester),
        supplierId: provider(n.supplier),
        datasetId: n.dataset ? datasetIds.get(n.dataset) : null,
      });
      needIds.set(n.key, saved.id);
    }
    const blockerIds = new Map<string, string>();
    for (const b of data.blockers) {
      const { blocker } = await this.blockers.report(actor, {
        title: b.title,
        description: b.description,
        type: b.type,
        severity: b.severity,
        perceived: b.perceived,
        legalReference: b.legalReference,
        affectedNeedIds: b.affectedNeeds.map((k) => needIds.get(k)!),
        ownerId: b.owner ? provider(b.owner) : null,
        impact: b.impact,
        effort: b.effort,
        confidential: b.confidential,
        reportingProviderId: provider(b.reportingProvider),
      });
      blockerIds.set(b.key, blocker.id);
    }
    for (const b of data.blockers) {
      for (const dep of b.dependsOn) await this.relations.addDependency(actor, blockerIds.get(b.key)!, blockerIds.get(dep)!);
    }
    for (const b of data.blockers) {
      const id = blockerIds.get(b.key)!;
      const path = pathBetween(BlockerStatus.REPORTED, b.status);
      if (!path) throw new Error(`no path in the workflow to ${b.status}`);
      for (const to of path) {
        const current = await this.blockers.findVisible(actor, id);
        await this.workflow.transition(actor, {
          id,
          expectedVersion: current!.version,
          to,
          reason: REASON,
          resolution: to === BlockerStatus.RESOLVED ? (b.resolution ?? null) : null,
        });
      }
    }
    this.logger.log(
      `loaded ${data.providers.length} providers, ${data.datasets.length} datasets, ${data.needs.length} needs, ${data.blockers.length} blockers`,
    );
  }

  private async systemActor(): Promise<Actor> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO app_user (subject, name, roles) VALUES ($1, 'Demo data loader', ARRAY['ADMIN']::role[])
       ON CONFLICT (subject) DO UPDATE SET updated_at = now() RETURNING id`,
      [DEMO_SUBJECT],
    );
    return { userId: rows[0].id, subject: DEMO_SUBJECT, name: 'Demo data loader', roles: [Role.ADMIN], providerId: null };
  }
}
