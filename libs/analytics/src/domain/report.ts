/**
 * Statistics helpers and the progress report as Markdown, pure: plain values in, text out.
 */
import { BlockerLayer } from '@app/blockers/domain/taxonomy';

export const DAY_MS = 86_400_000;

/** A blocker is stale when open without a status change for this many days or more. */
export const STALE_AFTER_DAYS = 90;

/** Ageing buckets of open blockers by whole days open. */
export const AGE_BUCKETS: ReadonlyArray<{ label: string; upTo: number }> = [
  { label: '0-30', upTo: 30 },
  { label: '31-90', upTo: 90 },
  { label: '91-180', upTo: 180 },
  { label: '181+', upTo: Number.POSITIVE_INFINITY },
];

export function ageBucket(daysOpen: number): string {
  return AGE_BUCKETS.find((b) => daysOpen <= b.upTo)!.label;
}

/** Whole days from `from` to `to`, as Blocker.daysOpen counts them. */
export const wholeDays = (from: Date, to: Date): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const LAYERS: readonly BlockerLayer[] = Object.values(BlockerLayer);

export interface ReportBlockerLine {
  key: string;
  title: string;
  layer: BlockerLayer;
  severity: string;
  status: string;
}

export interface ResolvedLine extends ReportBlockerLine {
  resolvedAt: Date;
  daysToResolve: number;
  resolution: { kind: string; summary: string; reference: string | null } | null;
}

/** A stale blocker; `status` is its status at the end of the period. */
export interface StaleLine extends ReportBlockerLine {
  owner: string | null;
  statusChangedAt: Date;
  daysWithoutChange: number;
}

export interface ProgressReportData {
  from: Date;
  to: Date;
  /** The moment the end-of-period figures describe: the end of the period, or now when that is later. */
  asOf: Date;
  reported: number;
  resolved: number;
  reopened: number;
  openAtEnd: number;
  stale: number;
  medianDaysToResolve: number | null;
  byLayer: ReadonlyArray<{ layer: BlockerLayer; open: number; resolved: number }>;
  newBlockers: readonly ReportBlockerLine[];
  resolvedBlockers: readonly ResolvedLine[];
  staleBlockers: readonly StaleLine[];
  /**
   * How many blockers each list would hold uncut: those the reader may see. A list holds the first of
   * them (the lists are bounded); without this, every one the reader may see is listed.
   */
  listable?: { newBlockers: number; resolvedBlockers: number; staleBlockers: number };
}

/** A list holds at most this many blockers unless asked otherwise; the counts stay complete. */
export const REPORT_LIST_DEFAULT = 100;
export const REPORT_LIST_MAX = 1000;

/** The line under a cut list: how many of the listable ones it shows. */
const cutNote = (shown: number, listable: number): string[] =>
  shown < listable ? ['', `_The first ${shown} of ${listable} are listed._`] : [];

/** Markdown-escape inline text; table cells also lose line breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/([\\`*_[\]{}<>|#~])/g, '\\$1')
    .trim();
}

/** LEGAL -> Legal, LEGAL_INTERPRETATION -> Legal interpretation. */
export function humanise(code: string): string {
  const words = code.toLowerCase().split('_');
  return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

const isMidnight = (d: Date): boolean => d.getTime() % DAY_MS === 0;
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** The period in words: whole days as inclusive dates, anything else as instants (end exclusive). */
export function describePeriod(from: Date, to: Date): string {
  if (isMidnight(from) && isMidnight(to)) {
    const last = new Date(to.getTime() - DAY_MS);
    return last.getTime() === from.getTime() ? isoDate(from) : `${isoDate(from)} to ${isoDate(last)}`;
  }
  return `${from.toISOString()} up to ${to.toISOString()}`;
}

export const formatDays = (days: number | null): string => (days === null ? 'n/a' : days.toFixed(1));

const table = (header: string[], align: string[], rows: string[][]): string[] => [
  `| ${header.join(' | ')} |`,
  `| ${align.join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

/** The progress report as a Markdown document, fit to paste into a progress letter. */
export function renderProgressReport(report: ProgressReportData): string {
  const period = describePeriod(report.from, report.to);
  const endNote =
    report.asOf.getTime() < report.to.getTime()
      ? ` (the period has not ended: as at ${isoDate(report.asOf)})`
      : '';
  const lines: string[] = [`# Progress report on data-exchange blockers: ${period}`, ''];

  lines.push('## Summary', '');
  lines.push(
    ...table(
      ['Measure', 'Value'],
      ['---', '---:'],
      [
        ['Blockers reported', String(report.reported)],
        ['Blockers resolved', String(report.resolved)],
        ['Blockers reopened', String(report.reopened)],
        [`Open at the end of the period${endNote}`, String(report.openAtEnd)],
        [`Stale: open without a status change for ${STALE_AFTER_DAYS} days or more`, String(report.stale)],
        ['Median days from report to resolution', formatDays(report.medianDaysToResolve)],
      ],
    ),
    '',
  );

  lines.push('## Per layer', '');
  const totalOpen = report.byLayer.reduce((s, l) => s + l.open, 0);
  const totalResolved = report.byLayer.reduce((s, l) => s + l.resolved, 0);
  lines.push(
    ...table(
      ['Layer', 'Open at end', 'Resolved in period'],
      ['---', '---:', '---:'],
      [
        ...report.byLayer.map((l) => [humanise(l.layer), String(l.open), String(l.resolved)]),
        ['**Total**', `**${totalOpen}**`, `**${totalResolved}**`],
      ],
    ),
    '',
  );

  const listable = report.listable ?? {
    newBlockers: report.newBlockers.length,
    resolvedBlockers: report.resolvedBlockers.length,
    staleBlockers: report.staleBlockers.length,
  };
  lines.push('## Resolved blockers', '');
  if (report.resolvedBlockers.length === 0) lines.push('None.');
  for (const b of report.resolvedBlockers) {
    const how = b.resolution
      ? `${humanise(b.resolution.kind)}: ${escapeMarkdown(b.resolution.summary)}` +
        (b.resolution.reference ? ` (reference: ${escapeMarkdown(b.resolution.reference)})` : '')
      : 'no resolution recorded';
    lines.push(
      `- **${b.key}** ${escapeMarkdown(b.title)} (${humanise(b.layer)}), resolved ${isoDate(b.resolvedAt)} ` +
        `after ${formatDays(b.daysToResolve)} days. ${how}`,
    );
  }
  lines.push(...cutNote(report.resolvedBlockers.length, listable.resolvedBlockers), '');

  lines.push('## New blockers', '');
  if (report.newBlockers.length === 0) lines.push('None.');
  else
    lines.push(
      ...table(
        ['Key', 'Title', 'Layer', 'Severity', 'Status now'],
        ['---', '---', '---', '---', '---'],
        report.newBlockers.map((b) => [
          b.key,
          escapeMarkdown(b.title),
          humanise(b.layer),
          humanise(b.severity),
          humanise(b.status),
        ]),
      ),
      ...cutNote(report.newBlockers.length, listable.newBlockers),
    );
  lines.push('');

  lines.push('## Stale blockers', '');
  if (report.staleBlockers.length === 0) lines.push('None.');
  else
    lines.push(
      ...table(
        ['Key', 'Title', 'Layer', 'Status', 'Owner', 'Last status change', 'Days without change'],
        ['---', '---', '---', '---', '---', '---', '---:'],
        report.staleBlockers.map((b) => [
          b.key,
          escapeMarkdown(b.title),
          humanise(b.layer),
          humanise(b.status),
          b.owner ? escapeMarkdown(b.owner) : 'none',
          isoDate(b.statusChangedAt),
          String(b.daysWithoutChange),
        ]),
      ),
      ...cutNote(report.staleBlockers.length, listable.staleBlockers),
    );
  lines.push('');

  const listed =
    listable.newBlockers < report.reported ||
    listable.resolvedBlockers < report.resolved ||
    listable.staleBlockers < report.stale;
  if (listed) lines.push('_Totals include confidential blockers that are not listed._', '');
  return lines.join('\n').replace(/\n+$/, '\n');
}
