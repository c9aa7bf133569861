import {
  BlockerFilterValues,
  BlockerLayer,
  BlockerStatus,
  BlockerType,
  PriorityLevel,
  Severity,
} from '@app/blockers';
import { Role } from '@app/core/actor';
import { readCount, readDate, readEnum } from './inventory/values';

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface ActingAs {
  /** The user's subject; generated from role and organisation when not given. */
  subject: string | null;
  role: Role;
  /** A steward's provider: OIN, TOOI URI, name or abbreviation. */
  org: string | null;
}

/**
 * `--as` names who acts: `ROLE`, `ROLE/org` or `subject/ROLE/org` (org: the provider of a steward, by OIN,
 * TOOI URI, name or abbreviation; a TOOI URI may hold slashes, it is the rest of the text).
 * e.g. `ADMIN`, `STEWARD/UWV`, `j.jansen/STEWARD/00000001810220350000`.
 */
export function parseAs(text: string): ActingAs {
  const parts = text.split('/');
  const isRole = (s: string | undefined): boolean => s !== undefined && s.toUpperCase() in Role;
  const [subject, role, rest] = isRole(parts[0])
    ? [null, parts[0], parts.slice(1)]
    : [parts[0] || null, parts[1], parts.slice(2)];
  if (!isRole(role))
    throw new UsageError(`--as ${text}: name a role (${Object.keys(Role).join(', ')}), e.g. STEWARD/UWV`);
  const org = rest.join('/').trim() || null;
  const r = role.toUpperCase() as keyof typeof Role;
  if (r === 'STEWARD' && !org)
    throw new UsageError(`--as ${text}: a STEWARD acts for a provider, e.g. STEWARD/UWV`);
  return { subject, role: Role[r], org };
}

/** Export filters as given, with providers still named as in the file (resolved by the command). */
export interface ExportFilter {
  values: BlockerFilterValues;
  provider: string | null;
  owner: string | null;
}

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function codes<T extends string>(name: string, what: string, values: readonly T[], v: string): T[] {
  return list(v).map((item) => {
    const read = readEnum(what, values, item);
    if (!read.ok) throw new UsageError(`--filter ${name}: ${read.message}`);
    return read.value;
  });
}

export const FILTER_NAMES = [
  'status',
  'open',
  'layer',
  'type',
  'severity',
  'level',
  'provider',
  'owner',
  'search',
  'since',
  'before',
  'stale',
];

/**
 * `--filter name=value`, repeatable: status, layer, type, severity, level (lists with commas),
 * open (yes/no), provider and owner (OIN, TOOI URI, name or abbreviation), search (text),
 * since and before (report dates, YYYY-MM-DD), stale (days without a status change).
 */
export function parseFilters(items: readonly string[]): ExportFilter {
  const out: ExportFilter = { values: {}, provider: null, owner: null };
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq).trim().toLowerCase() : '';
    const value = eq > 0 ? item.slice(eq + 1).trim() : '';
    if (!name || !value) throw new UsageError(`--filter ${item}: write name=value`);
    const date = (): Date => {
      const read = readDate(value);
      if (!read.ok) throw new UsageError(`--filter ${name}: ${read.message}`);
      return new Date(`${read.value}T00:00:00Z`);
    };
    switch (name) {
      case 'status':
        out.values.status = codes(name, 'status', Object.values(BlockerStatus), value);
        break;
      case 'layer':
        out.values.layer = codes(name, 'layer', Object.values(BlockerLayer), value);
        break;
      case 'type':
        out.values.type = codes(name, 'blocker type', Object.values(BlockerType), value);
        break;
      case 'severity':
        out.values.severity = codes(name, 'severity', Object.values(Severity), value);
        break;
      case 'level':
        out.values.level = codes(name, 'priority level', Object.values(PriorityLevel), value);
        break;
      case 'open':
        if (!/^(yes|no|true|false)$/i.test(value)) throw new UsageError('--filter open: yes or no');
        out.values.open = /^(yes|true)$/i.test(value);
        break;
      case 'provider':
        out.provider = value;
        break;
      case 'owner':
        out.owner = value;
        break;
      case 'search':
        out.values.search = value;
        break;
      case 'since':
        out.values.createdAfter = date();
        break;
      case 'before':
        out.values.createdBefore = date();
        break;
      case 'stale': {
        const read = readCount(value);
        if (!read.ok) throw new UsageError(`--filter stale: ${read.message}`);
        out.values.staleForDays = read.value;
        break;
      }
      default:
        throw new UsageError(`--filter ${name}: unknown filter; use ${FILTER_NAMES.join(', ')}`);
    }
  }
  return out;
}

/** A report boundary: a date (midnight UTC) or a full ISO timestamp. */
export function parseInstant(option: string, value: string | undefined): Date {
  if (!value) throw new UsageError(`${option} is required (YYYY-MM-DD)`);
  const read = readDate(value);
  const at = read.ok ? new Date(`${read.value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(at.getTime())) throw new UsageError(`${option} ${value}: not a date (YYYY-MM-DD)`);
  return at;
}
