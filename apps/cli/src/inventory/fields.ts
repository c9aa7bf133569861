import {
  BlockerLayer,
  BlockerStatus,
  BlockerType,
  Effort,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '@app/blockers';

/**
 * The columns of an inventory spreadsheet: one row per blocker and affected need. A blocker that
 * affects several needs takes several rows with the same `key` (its fields need only be filled in on
 * the first of them); a file without a `key` column groups rows by title.
 */
type Kind = 'text' | 'enum' | 'count' | 'boolean' | 'date' | 'list';

interface FieldSpec {
  kind: Kind;
  /** Whether the field describes the blocker (shared by its rows) or the need of the row. */
  of: 'blocker' | 'need';
  required?: boolean;
  values?: readonly string[];
  /** What a value names, in messages ("unknown severity ..."). */
  what?: string;
  help: string;
}

export const FIELDS = {
  key: { kind: 'text', of: 'blocker', help: "the blocker's reference in the inventory (groups its rows)" },
  title: { kind: 'text', of: 'blocker', required: true, help: 'short title; the natural key of a blocker' },
  description: { kind: 'text', of: 'blocker', required: true, help: 'what blocks the exchange' },
  type: {
    kind: 'enum',
    of: 'blocker',
    required: true,
    values: Object.values(BlockerType),
    what: 'blocker type',
    help: 'blocker type (its layer follows from it)',
  },
  layer: {
    kind: 'enum',
    of: 'blocker',
    values: Object.values(BlockerLayer),
    what: 'layer',
    help: 'optional; checked against the type',
  },
  severity: {
    kind: 'enum',
    of: 'blocker',
    required: true,
    values: Object.values(Severity),
    what: 'severity',
    help: 'CRITICAL, HIGH, MEDIUM or LOW',
  },
  perceived: { kind: 'boolean', of: 'blocker', help: 'yes when it rests on a cautious reading' },
  legal_reference: { kind: 'text', of: 'blocker', help: 'article or regulation' },
  reporter: { kind: 'text', of: 'blocker', help: 'reporting provider (OIN, TOOI URI, name or abbreviation)' },
  owner: { kind: 'text', of: 'blocker', help: 'provider that must act' },
  status: {
    kind: 'enum',
    of: 'blocker',
    values: Object.values(BlockerStatus),
    what: 'status',
    help: 'workflow status (default REPORTED), reached through recorded transitions',
  },
  people_affected: { kind: 'count', of: 'blocker', help: 'people affected per year' },
  businesses_affected: { kind: 'count', of: 'blocker', help: 'businesses affected per year' },
  manual_hours: { kind: 'count', of: 'blocker', help: 'manual hours per year' },
  cost_eur: { kind: 'count', of: 'blocker', help: 'cost per year in euros' },
  effort: {
    kind: 'enum',
    of: 'blocker',
    values: Object.values(Effort),
    what: 'effort',
    help: 'XS, S, M, L or XL',
  },
  target_date: { kind: 'date', of: 'blocker', help: 'YYYY-MM-DD' },
  confidential: { kind: 'boolean', of: 'blocker', help: 'yes for a confidential blocker' },
  resolution_kind: {
    kind: 'enum',
    of: 'blocker',
    values: Object.values(ResolutionKind),
    what: 'resolution kind',
    help: 'required for status RESOLVED',
  },
  resolution_summary: { kind: 'text', of: 'blocker', help: 'required for status RESOLVED' },
  resolution_reference: { kind: 'text', of: 'blocker', help: 'e.g. the letter or regulation' },
  depends_on: { kind: 'list', of: 'blocker', help: 'keys of blockers to resolve first (; between them)' },
  priority_level: {
    kind: 'enum',
    of: 'blocker',
    values: Object.values(PriorityLevel),
    what: 'priority level',
    help: "the steering group's level",
  },
  priority_rank: { kind: 'count', of: 'blocker', help: 'place on the agenda' },
  priority_rationale: { kind: 'text', of: 'blocker', help: 'required with a priority level' },
  requester: { kind: 'text', of: 'need', required: true, help: 'provider that needs the data' },
  supplier: { kind: 'text', of: 'need', required: true, help: 'provider that holds the data' },
  dataset: { kind: 'text', of: 'need', help: 'code or name of a dataset the supplier holds' },
  data_elements: { kind: 'list', of: 'need', help: 'data elements (; between them)' },
  purpose: { kind: 'text', of: 'need', required: true, help: 'what the data is needed for' },
  service: { kind: 'text', of: 'need', help: 'the public service' },
  legal_basis: { kind: 'text', of: 'need', help: "the need's legal basis" },
  annual_cases: { kind: 'count', of: 'need', help: 'cases a year' },
} satisfies Record<string, FieldSpec>;

export type Field = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as Field[];

export const spec = (field: Field): FieldSpec => FIELDS[field];

/** `Legal reference`, `legal-reference` and `legalReference` all name the field legal_reference. */
export function fieldOfHeader(header: string): Field | null {
  const name = header
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (FIELD_NAMES as string[]).includes(name) ? (name as Field) : null;
}
