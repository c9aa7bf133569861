import { Role } from '@app/core';
import { BlockerStatus, BlockerType, Effort, PriorityLevel, ResolutionKind, Severity } from '@app/blockers';
import { DataNeedState } from '@app/needs';
import { ProviderKind } from '@app/providers';

/**
 * The registry as one JSON document: what `export --format json` writes and `import` reads back. Records
 * refer to each other by natural references, never by database ids:
 * - a provider by `ref`: its OIN, else its TOOI URI, else its name (an import also accepts an
 *   abbreviation wherever a provider is named);
 * - a dataset by its code, else its name, among the datasets of its holder (a need's supplier);
 * - a need by `ref` (N1, N2, ... in the document);
 * - a blocker by `key` (KNP-n in an export; any text in a hand-made file).
 * A spreadsheet import builds the same document from its rows (without providers and datasets, which
 * must exist already).
 */
export const DOCUMENT_FORMAT = 'knooppunt-registry';
export const DOCUMENT_VERSION = 1;

export interface DocProvider {
  ref: string;
  name: string;
  abbreviation: string | null;
  kind: ProviderKind;
  oin: string | null;
  tooiUri: string | null;
  parent: string | null;
}

export interface DocDataset {
  holder: string;
  name: string;
  code: string | null;
  description: string | null;
  isBaseRegistry: boolean;
  containsPersonalData: boolean;
}

export interface DocNeed {
  ref: string;
  requester: string;
  supplier: string;
  /** Code or name of a dataset the supplier holds. */
  dataset: string | null;
  dataElements: string[];
  purpose: string;
  service: string | null;
  legalBasis: string | null;
  annualCases: number | null;
  /** BLOCKED is derived and imported as REQUESTED; FLOWING and WITHDRAWN are kept. */
  state: DataNeedState;
  /** The fields the source holds (a spreadsheet may lack columns); all when absent. Others are left alone. */
  given?: string[];
}

export interface DocImpact {
  peopleAffectedPerYear: number | null;
  businessesAffectedPerYear: number | null;
  manualHoursPerYear: number | null;
  costPerYearEur: number | null;
}

/** A user as recorded from a token: subject, name, roles and the provider they act for. */
export interface DocUser {
  subject: string;
  name: string;
  roles: Role[];
  provider: string | null;
}

/** A provider's endorsement: the steward who made it, their note and when (ISO 8601). */
export interface DocEndorsement {
  provider: string;
  user: DocUser | null;
  note: string | null;
  date: string;
}

export interface DocComment {
  author: DocUser;
  body: string;
  date: string;
}

export interface DocBlocker {
  key: string;
  title: string;
  description: string;
  type: BlockerType;
  severity: Severity;
  perceived: boolean;
  legalReference: string | null;
  confidential: boolean;
  reportingProvider: string | null;
  owner: string | null;
  status: BlockerStatus;
  impact: DocImpact;
  effort: Effort | null;
  targetDate: string | null;
  affectedNeeds: string[];
  dependsOn: string[];
  resolution: { kind: ResolutionKind; summary: string; reference: string | null } | null;
  decision: { level: PriorityLevel; rank: number | null; rationale: string } | null;
  /**
   * The key of the blocker this one duplicates (status DUPLICATE). A duplicate's needs, endorsements and
   * prerequisites belong to its original: an import reports it on the original's needs and merges it.
   */
  duplicateOf: string | null;
  /** Oldest first; absent (none) in a hand-made file or a spreadsheet. */
  endorsements?: DocEndorsement[];
  comments?: DocComment[];
  /** Written for readers (layer follows from type; the score is recomputed); checked or ignored on import. */
  layer?: string;
  priorityScore?: number;
  /**
   * The fields the source holds, as `title`, `impact.manualHoursPerYear`, `status`, `decision`, ...; all
   * when absent. On an existing blocker the others are left alone.
   */
  given?: string[];
}

/** Whether a record's source holds a field (see `given`). */
export const holds = (record: { given?: string[] }, field: string): boolean =>
  !record.given || record.given.includes(field);

export interface RegistryDocument {
  format: typeof DOCUMENT_FORMAT;
  version: typeof DOCUMENT_VERSION;
  exportedAt?: string;
  providers: DocProvider[];
  datasets: DocDataset[];
  needs: DocNeed[];
  blockers: DocBlocker[];
}

/** Where each record of a document came from, for problems found while importing it. */
export interface Origins {
  /** Where a need's field is (`field` in the document's terms, e.g. `requester`). */
  need(ref: string, field?: string): { row: number | null; column: string | null };
  blocker(key: string, field?: string): { row: number | null; column: string | null };
}

export const providerRef = (p: { oin: string | null; tooiUri: string | null; name: string }): string =>
  p.oin ?? p.tooiUri ?? p.name;

/**
 * Blockers ordered so that every prerequisite comes before the blockers waiting for it, and every
 * duplicate comes before its original: an original must be open when a duplicate merges into it, so
 * its own status (perhaps closed) is reached after its duplicates'.
 */
export function statusOrder<T extends { key: string; dependsOn: string[]; duplicateOf: string | null }>(
  blockers: T[],
): T[] {
  const duplicatesOf = new Map<string, string[]>();
  for (const b of blockers)
    if (b.duplicateOf) duplicatesOf.set(b.duplicateOf, [...(duplicatesOf.get(b.duplicateOf) ?? []), b.key]);
  return prerequisitesFirst(
    blockers.map((b) => ({ ...b, dependsOn: [...b.dependsOn, ...(duplicatesOf.get(b.key) ?? [])] })),
  ).map((b) => blockers.find((x) => x.key === b.key)!);
}

/** Blockers ordered so that every prerequisite comes before the blockers waiting for it. */
export function prerequisitesFirst<T extends { key: string; dependsOn: string[] }>(blockers: T[]): T[] {
  const byKey = new Map(blockers.map((b) => [b.key, b]));
  const out: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (b: T): void => {
    if (state.get(b.key)) return;
    state.set(b.key, 'visiting');
    for (const dep of b.dependsOn) {
      const d = byKey.get(dep);
      if (d) visit(d);
    }
    state.set(b.key, 'done');
    out.push(b);
  };
  blockers.forEach(visit);
  return out;
}
