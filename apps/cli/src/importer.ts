import { Injectable } from '@nestjs/common';
import { UserEntity } from '@app/auth';
import {
  blockerQuery,
  BlockerEntity,
  BlockerNeedEntity,
  BlockersService,
  BlockerStatus,
  pathBetween,
  RelationsService,
  UpdateFields,
  WorkflowService,
} from '@app/blockers';
import { BlockerDependencyEntity } from '@app/blockers/entities/links.entity';
import { Actor, DomainError, TransactionService } from '@app/core';
import { DataNeedEntity, DataNeedState, NeedsService, UpdateNeedFields } from '@app/needs';
import {
  DatasetEntity,
  DatasetsService,
  ProviderEntity,
  ProviderFields,
  ProvidersService,
} from '@app/providers';
import { ImportProblems, Problem } from './inventory/problems';
import {
  DocBlocker,
  DocDataset,
  DocUser,
  DocNeed,
  DocProvider,
  holds,
  Origins,
  RegistryDocument,
  statusOrder,
} from './registry-document';

export const ENTITY_KINDS = ['providers', 'datasets', 'needs', 'blockers'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export type Tally = Record<'created' | 'updated' | 'unchanged' | 'skipped', number>;

export interface ImportOutcome {
  counts: Record<EntityKind, Tally>;
  /** What was (or, in a dry run, would be) done, one line per change. */
  changes: string[];
  dryRun: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  /** Called as records are handled: done of total. */
  progress?: (done: number, total: number) => void;
}

const REASON = 'Status as recorded in the imported file';

/** Thrown at the end of a dry run to roll everything back. */
class DryRunRollback extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}

const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Applies a registry document through the domain services, in one transaction: providers and datasets
 * (created when missing), needs, blockers with their affected needs, dependencies, status (reached
 * through recorded transitions; a duplicate merged into its original before the original's own status),
 * steering decisions, endorsements and comments (in their authors' names), and finally the needs' own
 * states. Every record
 * is matched by its natural key first (provider by OIN, TOOI URI or name; dataset by holder and code or
 * name; need by requester, supplier and purpose; blocker by title), so a second run changes nothing.
 * An import adds and updates; it never deletes. A dry run does all of it and rolls back.
 */
@Injectable()
export class RegistryImporter {
  constructor(
    private readonly tx: TransactionService,
    private readonly providers: ProvidersService,
    private readonly datasets: DatasetsService,
    private readonly needs: NeedsService,
    private readonly blockers: BlockersService,
    private readonly relations: RelationsService,
    private readonly workflow: WorkflowService,
  ) {}

  async run(
    actor: Actor,
    doc: RegistryDocument,
    origins: Origins,
    options: ImportOptions,
  ): Promise<ImportOutcome> {
    try {
      return await this.tx.run(async () => {
        const outcome = await new ImportRun(this, actor, doc, origins, options).execute();
        if (options.dryRun) throw new DryRunRollback(outcome);
        return outcome;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.outcome;
      throw error;
    }
  }

  /**
   * The problems with the document's references (unknown providers, datasets, prerequisites), without
   * writing anything: a dry run lists them together with the file's own problems.
   */
  async referenceProblems(actor: Actor, doc: RegistryDocument, origins: Origins): Promise<Problem[]> {
    return new ImportRun(this, actor, doc, origins, { dryRun: true }).referenceProblems();
  }

  /** For ImportRun. */
  get services() {
    return {
      tx: this.tx,
      providers: this.providers,
      datasets: this.datasets,
      needs: this.needs,
      blockers: this.blockers,
      relations: this.relations,
      workflow: this.workflow,
    };
  }
}

class ImportRun {
  private readonly s: RegistryImporter['services'];
  private readonly counts = Object.fromEntries(
    ENTITY_KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0, skipped: 0 }]),
  ) as Record<EntityKind, Tally>;
  private readonly changes: string[] = [];
  private readonly providerIds = new Map<string, string>();
  private readonly datasetIds = new Map<string, string>();
  private readonly needIds = new Map<string, string>();
  private readonly blockerIds = new Map<string, string>();
  private readonly touched = new Set<string>();
  private done = 0;
  private readonly total: number;

  constructor(
    importer: RegistryImporter,
    private readonly actor: Actor,
    private readonly doc: RegistryDocument,
    private readonly origins: Origins,
    private readonly options: ImportOptions,
  ) {
    this.s = importer.services;
    this.total = doc.providers.length + doc.datasets.length + doc.needs.length + 2 * doc.blockers.length;
  }

  private get m() {
    return this.s.tx.manager;
  }

  private tick(): void {
    this.done++;
    this.options.progress?.(this.done, this.total);
  }

  /** Run a step; a domain error becomes a problem located where the record came from. */
  private async step<T>(
    where: { row: number | null; column: string | null },
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw new ImportProblems([{ ...where, message: error.message }]);
      throw error;
    }
  }

  async execute(): Promise<ImportOutcome> {
    const problems = await this.referenceProblems();
    if (problems.length > 0) throw new ImportProblems(problems);
    for (const p of this.orderedProviders()) await this.provider(p);
    for (const d of this.doc.datasets) await this.dataset(d);
    for (const n of this.doc.needs) await this.need(n);
    // A duplicate is imported with its original (reported on the original's needs and merged into it);
    // one whose original the document does not hold is left out.
    const keys = new Set(this.doc.blockers.map((b) => b.key));
    const orphan = (b: DocBlocker): boolean =>
      b.status === BlockerStatus.DUPLICATE && !(b.duplicateOf && keys.has(b.duplicateOf));
    for (const b of this.doc.blockers.filter(orphan)) {
      this.counts.blockers.skipped++;
      this.changes.push(
        `skip blocker "${b.title}": a DUPLICATE whose original is not in the file is not imported`,
      );
    }
    const blockers = this.doc.blockers.filter((b) => !orphan(b));
    const isDuplicate = (b: DocBlocker): boolean => b.status === BlockerStatus.DUPLICATE;
    for (const b of blockers) await this.blocker(b);
    for (const b of blockers.filter((b) => !isDuplicate(b))) await this.dependencies(b);
    for (const b of statusOrder(blockers)) await this.status(b);
    // What stayed on a duplicate after its merge (a dependency that would have closed a cycle).
    for (const b of blockers.filter(isDuplicate)) await this.dependencies(b);
    await this.decisions(blockers);
    for (const b of blockers) await this.endorsementsAndComments(b);
    for (const n of this.doc.needs) await this.needState(n);
    for (const b of blockers) {
      if (!this.blockerCreated.has(b.key))
        this.counts.blockers[this.touched.has(b.key) ? 'updated' : 'unchanged']++;
    }
    return { counts: this.counts, changes: this.changes, dryRun: this.options.dryRun };
  }

  private readonly blockerCreated = new Set<string>();

  // ------------------------------------------------------------ references, all problems at once

  async referenceProblems(): Promise<Problem[]> {
    const problems: Problem[] = [];
    const inDoc = new Set(this.doc.providers.map((p) => p.ref));
    const known = new Map<string, ProviderEntity | null>();
    const provider = async (ref: string): Promise<ProviderEntity | null> => {
      if (!known.has(ref)) known.set(ref, await this.s.providers.findByIdentifier(ref));
      return known.get(ref)!;
    };
    const check = async (
      ref: string | null,
      where: { row: number | null; column: string | null },
    ): Promise<void> => {
      if (ref === null || inDoc.has(ref) || (await provider(ref))) return;
      problems.push({
        ...where,
        message: `unknown provider "${ref}" (no OIN, TOOI URI, name or abbreviation matches)`,
      });
    };
    for (const [i, p] of this.doc.providers.entries())
      await check(p.parent, { row: null, column: `providers[${i}].parent` });
    for (const [i, d] of this.doc.datasets.entries())
      await check(d.holder, { row: null, column: `datasets[${i}].holder` });
    const docDatasets = new Set(
      this.doc.datasets.map((d) => `${d.holder}\u0000${normalise(d.code ?? d.name)}`),
    );
    for (const n of this.doc.needs) {
      await check(n.requester, this.origins.need(n.ref, 'requester'));
      await check(n.supplier, this.origins.need(n.ref, 'supplier'));
      if (n.dataset === null || docDatasets.has(`${n.supplier}\u0000${normalise(n.dataset)}`)) continue;
      const supplier = inDoc.has(n.supplier) ? null : await provider(n.supplier);
      if (supplier && !(await this.findDataset(supplier.id, n.dataset)))
        problems.push({
          ...this.origins.need(n.ref, 'dataset'),
          message: `${supplier.abbreviation ?? supplier.name} holds no dataset with code or name "${n.dataset}"`,
        });
      else if (!supplier && inDoc.has(n.supplier))
        problems.push({
          ...this.origins.need(n.ref, 'dataset'),
          message: `no dataset "${n.dataset}" of ${n.supplier} in the document`,
        });
    }
    const keys = new Set(this.doc.blockers.map((b) => b.key));
    for (const b of this.doc.blockers) {
      await check(b.reportingProvider, this.origins.blocker(b.key, 'reportingProvider'));
      await check(b.owner, this.origins.blocker(b.key, 'owner'));
      for (const [i, e] of (b.endorsements ?? []).entries()) {
        await check(e.provider, this.origins.blocker(b.key, `endorsements[${i}].provider`));
        await check(e.user?.provider ?? null, this.origins.blocker(b.key, `endorsements[${i}].user`));
      }
      for (const [i, c] of (b.comments ?? []).entries())
        await check(c.author.provider, this.origins.blocker(b.key, `comments[${i}].author`));
      for (const dep of b.dependsOn) {
        if (keys.has(dep) || !/^knp-\d+$/i.test(dep)) continue;
        if (!(await this.s.blockers.findVisibleByKey(this.actor, dep)))
          problems.push({
            ...this.origins.blocker(b.key, 'dependsOn'),
            message: `no blocker ${dep.toUpperCase()} in the registry`,
          });
      }
    }
    return problems;
  }

  private async providerId(ref: string): Promise<string> {
    const id = this.providerIds.get(ref) ?? (await this.s.providers.findByIdentifier(ref))?.id;
    if (!id) throw new Error(`provider ${ref} vanished during the import`);
    this.providerIds.set(ref, id);
    return id;
  }

  // ------------------------------------------------------------ providers and datasets

  private orderedProviders(): DocProvider[] {
    const byRef = new Map(this.doc.providers.map((p) => [p.ref, p]));
    const out: DocProvider[] = [];
    const seen = new Set<string>();
    const visit = (p: DocProvider): void => {
      if (seen.has(p.ref)) return;
      seen.add(p.ref);
      const parent = p.parent ? byRef.get(p.parent) : undefined;
      if (parent) visit(parent);
      out.push(p);
    };
    this.doc.providers.forEach(visit);
    return out;
  }

  private async provider(p: DocProvider): Promise<void> {
    const where = { row: null, column: `providers[ref=${p.ref}]` };
    const repo = this.m.getRepository(ProviderEntity);
    const existing =
      (p.oin ? await repo.findOneBy({ oin: p.oin.toUpperCase() }) : null) ??
      (p.tooiUri ? await repo.findOneBy({ tooiUri: p.tooiUri }) : null) ??
      (await repo.createQueryBuilder('p').where('lower(p.name) = lower(:name)', { name: p.name }).getOne());
    const fields: ProviderFields & Pick<DocProvider, 'name' | 'kind'> = {
      name: p.name,
      abbreviation: p.abbreviation,
      kind: p.kind,
      oin: p.oin,
      tooiUri: p.tooiUri,
      parentId: p.parent ? await this.providerId(p.parent) : null,
    };
    if (!existing) {
      const saved = await this.step(where, () => this.s.providers.create(this.actor, fields));
      this.providerIds.set(p.ref, saved.id);
      this.counts.providers.created++;
      this.changes.push(`create provider ${p.name}`);
    } else {
      this.providerIds.set(p.ref, existing.id);
      const changed = (Object.keys(fields) as Array<keyof typeof fields>).filter(
        (k) => !same(existing[k], fields[k]),
      );
      if (changed.length > 0) {
        await this.step(where, () => this.s.providers.update(this.actor, existing.id, fields));
        this.counts.providers.updated++;
        this.changes.push(`update provider ${p.name}: ${changed.join(', ')}`);
      } else this.counts.providers.unchanged++;
    }
    this.tick();
  }

  private async findDataset(holderId: string, codeOrName: string): Promise<DatasetEntity | null> {
    return this.m
      .getRepository(DatasetEntity)
      .createQueryBuilder('d')
      .where('d.holder_id = :holderId', { holderId })
      .andWhere('(lower(d.code) = lower(:v) OR lower(d.name) = lower(:v))', { v: codeOrName.trim() })
      .orderBy('lower(d.code) = lower(:v)', 'DESC')
      .getOne();
  }

  private async dataset(d: DocDataset): Promise<void> {
    const holderId = await this.providerId(d.holder);
    const existing = await this.findDataset(holderId, d.code ?? d.name);
    this.datasetIds.set(`${d.holder}\u0000${normalise(d.code ?? d.name)}`, existing?.id ?? '');
    if (existing) this.counts.datasets.unchanged++;
    else {
      const saved = await this.step({ row: null, column: `datasets[${d.code ?? d.name}]` }, () =>
        this.s.datasets.register(this.actor, { ...d, holderId }),
      );
      this.datasetIds.set(`${d.holder}\u0000${normalise(d.code ?? d.name)}`, saved.id);
      this.counts.datasets.created++;
      this.changes.push(`register dataset ${d.name} of ${d.holder}`);
    }
    this.tick();
  }

  // ------------------------------------------------------------ needs

  private async need(n: DocNeed): Promise<void> {
    const where = this.origins.need(n.ref);
    const requesterId = await this.providerId(n.requester);
    const supplierId = await this.providerId(n.supplier);
    const datasetId = n.dataset
      ? (this.datasetIds.get(`${n.supplier}\u0000${normalise(n.dataset)}`) ??
        (await this.findDataset(supplierId, n.dataset))?.id ??
        null)
      : null;
    const existing = await this.m
      .getRepository(DataNeedEntity)
      .createQueryBuilder('n')
      .where('n.requester_id = :requesterId AND n.supplier_id = :supplierId', { requesterId, supplierId })
      .andWhere("lower(regexp_replace(trim(n.purpose), '\\s+', ' ', 'g')) = :purpose", {
        purpose: normalise(n.purpose),
      })
      .orderBy('n.created_at')
      .getOne();
    const label = `need "${n.purpose}" (${n.requester} from ${n.supplier})`;
    if (!existing) {
      const saved = await this.step(where, () =>
        this.s.needs.declare(this.actor, { ...n, requesterId, supplierId, datasetId }),
      );
      this.needIds.set(n.ref, saved.id);
      this.counts.needs.created++;
      this.changes.push(`declare ${label}`);
    } else {
      this.needIds.set(n.ref, existing.id);
      const wanted: UpdateNeedFields = {
        dataElements: n.dataElements,
        service: n.service,
        legalBasis: n.legalBasis,
        annualCases: n.annualCases,
      };
      const changed = (Object.keys(wanted) as Array<keyof UpdateNeedFields>).filter(
        (k) => holds(n, k) && !same(existing[k], wanted[k]),
      );
      if (changed.length > 0) {
        await this.step(where, () =>
          this.s.needs.update(
            this.actor,
            existing.id,
            Object.fromEntries(changed.map((k) => [k, wanted[k]])),
          ),
        );
        this.counts.needs.updated++;
        this.changes.push(`update ${label}: ${changed.join(', ')}`);
      } else this.counts.needs.unchanged++;
    }
    this.tick();
  }

  /** FLOWING and WITHDRAWN are the needs' own states, set once their blockers are in place. */
  private async needState(n: DocNeed): Promise<void> {
    const id = this.needIds.get(n.ref)!;
    const current = await this.s.needs.get(id);
    if (!current || current.state === n.state || n.state === DataNeedState.BLOCKED) return;
    if (current.state === DataNeedState.BLOCKED && n.state === DataNeedState.REQUESTED) return;
    await this.step(this.origins.need(n.ref, 'state'), () =>
      this.s.needs.update(this.actor, id, { state: n.state }),
    );
    this.changes.push(`set need "${n.purpose}" to ${n.state}`);
  }

  // ------------------------------------------------------------ blockers

  private async blocker(b: DocBlocker): Promise<void> {
    const where = this.origins.blocker(b.key);
    const needIds = b.affectedNeeds.map((ref) => this.needIds.get(ref)!);
    // A duplicate's needs moved to its original: it is reported on those and merged again.
    const original =
      b.status === BlockerStatus.DUPLICATE
        ? this.doc.blockers.find((o) => o.key === b.duplicateOf)
        : undefined;
    const reportOn = original
      ? [...new Set([...needIds, ...original.affectedNeeds.map((ref) => this.needIds.get(ref)!)])]
      : needIds;
    const ownerId = b.owner ? await this.providerId(b.owner) : null;
    const existing = await blockerQuery(this.m, this.actor)
      .andWhere("lower(regexp_replace(trim(b.title), '\\s+', ' ', 'g')) = :title", {
        title: normalise(b.title),
      })
      .orderBy('b.number')
      .getOne();
    const fields: UpdateFields = {
      title: b.title,
      description: b.description,
      type: b.type,
      severity: b.severity,
      perceived: b.perceived,
      legalReference: b.legalReference,
      ownerId,
      effort: b.effort,
      targetDate: b.targetDate,
      confidential: b.confidential,
    };
    if (!existing) {
      const reportingProviderId = b.reportingProvider ? await this.providerId(b.reportingProvider) : null;
      const { blocker } = await this.step(where, () =>
        this.s.blockers.report(this.actor, {
          ...fields,
          title: b.title,
          description: b.description,
          type: b.type,
          severity: b.severity,
          affectedNeedIds: reportOn,
          impact: b.impact,
          reportingProviderId,
        }),
      );
      this.blockerIds.set(b.key, blocker.id);
      this.blockerCreated.add(b.key);
      this.counts.blockers.created++;
      this.changes.push(`report KNP-${blocker.number} "${b.title}"`);
    } else {
      this.blockerIds.set(b.key, existing.id);
      const changed = (Object.keys(fields) as Array<keyof UpdateFields>).filter(
        (k) =>
          holds(b, k === 'ownerId' ? 'owner' : k) && !same(existing[k as keyof BlockerEntity], fields[k]),
      );
      const now = {
        peopleAffectedPerYear: existing.peopleAffectedPerYear,
        businessesAffectedPerYear: existing.businessesAffectedPerYear,
        manualHoursPerYear: existing.manualHoursPerYear,
        costPerYearEur: existing.costPerYearEur === null ? null : Number(existing.costPerYearEur),
      };
      const impact = Object.fromEntries(
        (Object.keys(now) as Array<keyof typeof now>)
          .filter((k) => holds(b, `impact.${k}`) && !same(now[k], b.impact[k]))
          .map((k) => [k, b.impact[k]]),
      );
      const impactChanged = Object.keys(impact).length > 0;
      if (changed.length > 0 || impactChanged) {
        const update: UpdateFields = Object.fromEntries(changed.map((k) => [k, fields[k]]));
        if (impactChanged) update.impact = impact;
        await this.step(where, () =>
          this.s.blockers.update(this.actor, existing.id, existing.version, update),
        );
        this.touch(
          b,
          `update KNP-${existing.number}: ${[...changed, ...(impactChanged ? ['impact'] : [])].join(', ')}`,
        );
      }
      const linked = new Set(
        (await this.m.getRepository(BlockerNeedEntity).findBy({ blockerId: existing.id })).map(
          (l) => l.needId,
        ),
      );
      for (const needId of needIds.filter((id) => !linked.has(id))) {
        await this.step(this.origins.blocker(b.key, 'affectedNeeds'), () =>
          this.s.blockers.linkNeed(this.actor, existing.id, needId),
        );
        this.touch(b, `link KNP-${existing.number} to another need`);
      }
    }
    this.tick();
  }

  private touch(b: DocBlocker, change: string): void {
    this.touched.add(b.key);
    this.changes.push(change);
  }

  private async current(b: DocBlocker): Promise<BlockerEntity> {
    return (await this.s.blockers.findVisible(this.actor, this.blockerIds.get(b.key)!))!;
  }

  private async dependencies(b: DocBlocker): Promise<void> {
    const id = this.blockerIds.get(b.key)!;
    const existing = new Set(
      (await this.m.getRepository(BlockerDependencyEntity).findBy({ blockerId: id })).map(
        (d) => d.dependsOnId,
      ),
    );
    for (const dep of b.dependsOn) {
      const depId = this.blockerIds.get(dep) ?? (await this.s.blockers.findVisibleByKey(this.actor, dep))?.id;
      if (!depId || existing.has(depId)) continue;
      await this.step(this.origins.blocker(b.key, 'dependsOn'), () =>
        this.s.relations.addDependency(this.actor, id, depId),
      );
      const [waiting, first] = [await this.current(b), await this.s.blockers.findVisible(this.actor, depId)];
      this.touch(b, `let KNP-${waiting.number} wait for KNP-${first!.number}`);
    }
  }

  private async status(b: DocBlocker): Promise<void> {
    const where = this.origins.blocker(b.key, 'status');
    let current = await this.current(b);
    if (current.status !== b.status && (this.blockerCreated.has(b.key) || holds(b, 'status'))) {
      const path = pathBetween(current.status, b.status);
      if (!path)
        throw new ImportProblems([
          { ...where, message: `no way in the workflow from ${current.status} to ${b.status}` },
        ]);
      for (const to of path) {
        current = await this.step(where, () =>
          this.s.workflow.transition(this.actor, {
            id: current.id,
            expectedVersion: current.version,
            to,
            reason: REASON,
            resolution: to === BlockerStatus.RESOLVED ? b.resolution : null,
            duplicateOfId:
              to === BlockerStatus.DUPLICATE && b.duplicateOf ? this.blockerIds.get(b.duplicateOf) : null,
          }),
        );
      }
      this.touch(b, `move KNP-${current.number} to ${[...path].join(' -> ')}`);
    }
    this.tick();
  }

  /**
   * Endorsements and comments as recorded in the file, in their authors' names (ADMIN only, see
   * Permissions.recordOnBehalf); the import is the actor of their audit events. One endorsement per
   * provider, one comment per author, date and body: a second run changes nothing.
   */
  private async endorsementsAndComments(b: DocBlocker): Promise<void> {
    const id = this.blockerIds.get(b.key)!;
    for (const [i, e] of (b.endorsements ?? []).entries()) {
      const where = this.origins.blocker(b.key, `endorsements[${i}]`);
      const providerId = await this.providerId(e.provider);
      const userId = e.user ? await this.userId(e.user) : null;
      const added = await this.step(where, () =>
        this.s.relations.recordEndorsement(this.actor, id, {
          providerId,
          userId,
          note: e.note,
          createdAt: new Date(e.date),
        }),
      );
      if (added) this.touch(b, `record the endorsement of ${b.key} by ${e.provider}`);
    }
    for (const [i, c] of (b.comments ?? []).entries()) {
      const where = this.origins.blocker(b.key, `comments[${i}]`);
      const authorId = await this.userId(c.author);
      const added = await this.step(where, () =>
        this.s.blockers.recordComment(this.actor, id, {
          authorId,
          body: c.body,
          createdAt: new Date(c.date),
        }),
      );
      if (added) this.touch(b, `record a comment by ${c.author.name} on ${b.key}`);
    }
  }

  /**
   * The user with this subject; recorded as a token's user would be (subject, name, roles, provider)
   * when the registry does not know them yet. A known user is left as they are.
   */
  private async userId(u: DocUser): Promise<string> {
    const repo = this.m.getRepository(UserEntity);
    const existing = await repo.findOneBy({ subject: u.subject });
    if (existing) return existing.id;
    const providerId = u.provider ? await this.providerId(u.provider) : null;
    const saved = await repo.save(
      repo.create({ subject: u.subject, name: u.name, roles: u.roles, providerId }),
    );
    this.changes.push(`record user ${u.name} (${u.subject})`);
    return saved.id;
  }

  /** Decisions in agenda order, so that the ranks come out as in the file. */
  private async decisions(blockers: DocBlocker[]): Promise<void> {
    const decided = blockers
      .filter((b) => b.decision !== null && holds(b, 'decision'))
      .sort((a, b) => (a.decision!.rank ?? Infinity) - (b.decision!.rank ?? Infinity));
    for (const b of decided) {
      const d = b.decision!;
      const current = await this.current(b);
      if (
        current.priorityLevel === d.level &&
        current.priorityRank === d.rank &&
        current.priorityRationale === d.rationale
      )
        continue;
      await this.step(this.origins.blocker(b.key, 'decision'), () =>
        this.s.workflow.decide(this.actor, {
          blockerId: current.id,
          expectedVersion: current.version,
          level: d.level,
          rank: d.rank,
          rationale: d.rationale,
        }),
      );
      this.touch(
        b,
        `record the decision on KNP-${current.number}: ${d.level}${d.rank ? `, rank ${d.rank}` : ''}`,
      );
    }
  }
}
