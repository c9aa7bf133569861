import {
  BlockerLayer,
  BlockerStatus,
  BlockerType,
  Effort,
  layerOf,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '@app/blockers';
import { DataNeedState } from '@app/needs';
import {
  DocBlocker,
  DocNeed,
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  Origins,
  RegistryDocument,
} from '../registry-document';
import { Field, FIELD_NAMES, spec } from './fields';
import { fieldFor, Mapping, mapValue } from './mapping';
import { Problem } from './problems';
import { readBoolean, readCount, readDate, readEnum, readList } from './values';

/** A table as read from a CSV or XLSX file: the header row and the data rows with their numbers. */
export interface SheetTable {
  headers: string[];
  rows: Array<{ row: number; cells: string[] }>;
}

export interface SheetResult {
  document: RegistryDocument;
  origins: Origins;
  problems: Problem[];
  /** Blank rows. */
  skipped: number;
  /** Headers that name no field (left alone). */
  ignored: string[];
}

type Values = Partial<Record<Field, unknown>>;

/** The document field each spreadsheet field fills, where an existing record may be left alone. */
const DOC_FIELD: Partial<Record<Field, string>> = {
  title: 'title',
  description: 'description',
  type: 'type',
  severity: 'severity',
  perceived: 'perceived',
  legal_reference: 'legalReference',
  confidential: 'confidential',
  owner: 'owner',
  effort: 'effort',
  target_date: 'targetDate',
  status: 'status',
  people_affected: 'impact.peopleAffectedPerYear',
  businesses_affected: 'impact.businessesAffectedPerYear',
  manual_hours: 'impact.manualHoursPerYear',
  cost_eur: 'impact.costPerYearEur',
  priority_level: 'decision',
  depends_on: 'dependsOn',
  data_elements: 'dataElements',
  service: 'service',
  legal_basis: 'legalBasis',
  annual_cases: 'annualCases',
};

/** The header each field is read from, and the fields whose column is missing. */
function columnsOf(
  table: SheetTable,
  mapping: Mapping,
): { index: Map<Field, number>; problems: Problem[]; ignored: string[] } {
  const index = new Map<Field, number>();
  const problems: Problem[] = [];
  const ignored: string[] = [];
  table.headers.forEach((header, i) => {
    if (!header.trim()) return;
    const f = fieldFor(mapping, header);
    if (!f) ignored.push(header);
    else if (index.has(f))
      problems.push({
        row: 1,
        column: header,
        message: `a second column for ${f} (first: "${table.headers[index.get(f)!]}")`,
      });
    else index.set(f, i);
  });
  for (const f of FIELD_NAMES) {
    if (spec(f).required && !index.has(f) && !mapping.defaults.has(f))
      problems.push({ row: 1, column: null, message: `no column for the required field ${f}` });
  }
  return { index, problems, ignored };
}

/** Parse one cell; problems name the row and the file's header of the column. */
function parseCell(f: Field, text: string): { value?: unknown; message?: string } {
  const s = spec(f);
  const read =
    s.kind === 'enum'
      ? readEnum(s.what ?? f, s.values ?? [], text)
      : s.kind === 'count'
        ? readCount(text)
        : s.kind === 'boolean'
          ? readBoolean(text)
          : s.kind === 'date'
            ? readDate(text)
            : { ok: true as const, value: s.kind === 'list' ? readList(text) : text.trim() };
  return read.ok ? { value: read.value } : { message: read.message };
}

const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Turn the rows of an inventory into a registry document: blockers grouped by key (or title), needs
 * by requester, supplier and purpose. Every problem found is listed with its row and column; the
 * document is only fit to import when there are none.
 */
export function documentFromSheet(table: SheetTable, mapping: Mapping): SheetResult {
  const { index, problems, ignored } = columnsOf(table, mapping);
  const header = (f: Field): string => (index.has(f) ? table.headers[index.get(f)!] : f);
  const blockers = new Map<string, { doc: DocBlocker; row: number; values: Values }>();
  const needs = new Map<string, { doc: DocNeed; row: number }>();
  const blockerRows = new Map<string, number>();
  const given = (of: 'blocker' | 'need'): string[] =>
    FIELD_NAMES.filter(
      (f) => spec(f).of === of && DOC_FIELD[f] && (index.has(f) || mapping.defaults.has(f)),
    ).map((f) => DOC_FIELD[f]!);
  const blockerGiven = given('blocker');
  const needGiven = given('need');
  const needRows = new Map<string, number>();
  let skipped = 0;
  if (problems.some((p) => p.column === null)) {
    return {
      document: emptyDocument(),
      origins: originsOf(needRows, blockerRows, header),
      problems,
      skipped,
      ignored,
    };
  }

  for (const { row, cells } of table.rows) {
    if (cells.every((c) => !c.trim())) {
      skipped++;
      continue;
    }
    const problem = (f: Field | null, message: string): void => {
      problems.push({ row, column: f ? header(f) : null, message });
    };
    const values: Values = {};
    for (const f of FIELD_NAMES) {
      const raw = (index.has(f) ? (cells[index.get(f)!] ?? '') : '').trim() || mapping.defaults.get(f) || '';
      if (!raw) continue;
      const parsed = parseCell(f, mapValue(mapping, f, raw));
      if (parsed.message) problem(f, parsed.message);
      else values[f] = parsed.value;
    }
    const groupKey = (values.key as string | undefined) ?? (values.title as string | undefined);
    const first = groupKey !== undefined ? blockers.get(normalise(groupKey)) : undefined;
    // The first row of a blocker carries its fields; later rows may repeat them (identically) or leave them blank.
    for (const f of FIELD_NAMES) {
      const s = spec(f);
      if (!s.required || values[f] !== undefined) continue;
      if (s.of === 'blocker' && first) continue;
      if (!(index.has(f) ? (cells[index.get(f)!] ?? '').trim() : ''))
        problem(f, `missing ${f.replace(/_/g, ' ')}`);
    }
    if (first) {
      for (const f of FIELD_NAMES) {
        if (spec(f).of !== 'blocker' || f === 'key' || values[f] === undefined) continue;
        if (JSON.stringify(values[f]) !== JSON.stringify(first.values[f]))
          problem(f, `differs from row ${first.row}, which describes the same blocker`);
      }
    }
    const type = values.type as BlockerType | undefined;
    const layer = values.layer as BlockerLayer | undefined;
    if (type && layer && layerOf(type) !== layer) {
      problem('layer', `layer ${layer} does not match type ${type}, which is ${layerOf(type)}`);
    }

    // The need of this row.
    let needRef: string | null = null;
    if (values.requester && values.supplier && values.purpose) {
      needRef = [values.requester, values.supplier, values.purpose]
        .map((v) => normalise(v as string))
        .join('|');
      const need: DocNeed = {
        ref: needRef,
        requester: values.requester as string,
        supplier: values.supplier as string,
        dataset: (values.dataset as string | undefined) ?? null,
        dataElements: (values.data_elements as string[] | undefined) ?? [],
        purpose: values.purpose as string,
        service: (values.service as string | undefined) ?? null,
        legalBasis: (values.legal_basis as string | undefined) ?? null,
        annualCases: (values.annual_cases as number | undefined) ?? null,
        state: DataNeedState.REQUESTED,
        given: needGiven,
      };
      const earlier = needs.get(needRef);
      if (!earlier) {
        needs.set(needRef, { doc: need, row });
        needRows.set(needRef, row);
      } else {
        for (const [f, a, b] of [
          ['dataset', earlier.doc.dataset, need.dataset],
          ['annual_cases', earlier.doc.annualCases, need.annualCases],
          ['legal_basis', earlier.doc.legalBasis, need.legalBasis],
        ] as Array<[Field, unknown, unknown]>) {
          if (b !== null && JSON.stringify(a) !== JSON.stringify(b))
            problem(f, `differs from row ${earlier.row}, which describes the same need`);
        }
      }
    }

    if (groupKey === undefined) continue;
    if (first) {
      if (needRef && !first.doc.affectedNeeds.includes(needRef)) first.doc.affectedNeeds.push(needRef);
      continue;
    }
    const status = (values.status as BlockerStatus | undefined) ?? BlockerStatus.REPORTED;
    if (status === BlockerStatus.RESOLVED && !(values.resolution_kind && values.resolution_summary)) {
      problem(
        values.resolution_kind ? 'resolution_summary' : 'resolution_kind',
        'a resolved blocker needs a resolution kind and summary',
      );
    }
    if (status === BlockerStatus.DUPLICATE)
      problem('status', 'DUPLICATE cannot be imported from a spreadsheet; import the original only');
    if (
      (values.priority_rank !== undefined || values.priority_rationale !== undefined) &&
      values.priority_level === undefined
    )
      problem('priority_level', 'a rank or rationale needs a priority level');
    if (values.priority_level !== undefined && values.priority_rationale === undefined)
      problem('priority_rationale', 'a priority level needs a rationale');
    const key = normalise(groupKey);
    const doc: DocBlocker = {
      key,
      title: (values.title as string | undefined) ?? '',
      description: (values.description as string | undefined) ?? '',
      type: values.type as BlockerType,
      severity: values.severity as Severity,
      perceived: (values.perceived as boolean | undefined) ?? false,
      legalReference: (values.legal_reference as string | undefined) ?? null,
      confidential: (values.confidential as boolean | undefined) ?? false,
      reportingProvider: (values.reporter as string | undefined) ?? null,
      owner: (values.owner as string | undefined) ?? null,
      status,
      impact: {
        peopleAffectedPerYear: (values.people_affected as number | undefined) ?? null,
        businessesAffectedPerYear: (values.businesses_affected as number | undefined) ?? null,
        manualHoursPerYear: (values.manual_hours as number | undefined) ?? null,
        costPerYearEur: (values.cost_eur as number | undefined) ?? null,
      },
      effort: (values.effort as Effort | undefined) ?? null,
      targetDate: (values.target_date as string | undefined) ?? null,
      affectedNeeds: needRef ? [needRef] : [],
      dependsOn: ((values.depends_on as string[] | undefined) ?? []).map(normalise),
      resolution:
        values.resolution_kind && values.resolution_summary
          ? {
              kind: values.resolution_kind as ResolutionKind,
              summary: values.resolution_summary as string,
              reference: (values.resolution_reference as string | undefined) ?? null,
            }
          : null,
      decision:
        values.priority_level && values.priority_rationale
          ? {
              level: values.priority_level as PriorityLevel,
              rank: (values.priority_rank as number | undefined) ?? null,
              rationale: values.priority_rationale as string,
            }
          : null,
      duplicateOf: null,
      given: blockerGiven,
    };
    blockers.set(key, { doc, row, values });
    blockerRows.set(key, row);
  }

  // Dependencies name blockers of the file, or blockers already in the registry by their KNP key.
  for (const { doc, row } of blockers.values()) {
    for (const dep of doc.dependsOn) {
      if (dep === doc.key)
        problems.push({ row, column: header('depends_on'), message: 'a blocker cannot depend on itself' });
      else if (!blockers.has(dep) && !/^knp-\d+$/.test(dep))
        problems.push({
          row,
          column: header('depends_on'),
          message: `no blocker with key "${dep}" in this file`,
        });
    }
  }
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return {
    document: {
      ...emptyDocument(),
      needs: [...needs.values()].map((n) => n.doc),
      blockers: [...blockers.values()].map((b) => b.doc),
    },
    origins: originsOf(needRows, blockerRows, header),
    problems,
    skipped,
    ignored,
  };
}

function emptyDocument(): RegistryDocument {
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    providers: [],
    datasets: [],
    needs: [],
    blockers: [],
  };
}

/** The document's field names that differ from the spreadsheet's. */
const SHEET_FIELD: Record<string, Field> = {
  reportingProvider: 'reporter',
  dependsOn: 'depends_on',
  affectedNeeds: 'purpose',
  annualCases: 'annual_cases',
  legalBasis: 'legal_basis',
};

function originsOf(
  needRows: Map<string, number>,
  blockerRows: Map<string, number>,
  header: (f: Field) => string,
): Origins {
  const column = (field?: string): string | null =>
    field ? header(SHEET_FIELD[field] ?? (field as Field)) : null;
  return {
    need: (ref, field) => ({ row: needRows.get(ref) ?? null, column: column(field) }),
    blocker: (key, field) => ({ row: blockerRows.get(key) ?? null, column: column(field) }),
  };
}
