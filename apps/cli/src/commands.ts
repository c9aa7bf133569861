import { readFile, writeFile } from 'node:fs/promises';
import { INestApplicationContext } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { AnalyticsService } from '@app/analytics';
import { Actor } from '@app/core';
import { DemoDataLoader } from '@app/database/seeds/demo-data';
import { ProvidersService } from '@app/providers';
import { CliActors } from './actors';
import { parseAs, parseFilters, parseInstant, UsageError } from './args';
import { RegistryExporter, STEERING_COLUMNS, SteeringRow } from './exporter';
import { ENTITY_KINDS, ImportOutcome, RegistryImporter } from './importer';
import { readDocument } from './inventory/json-document';
import { Mapping, MappingError, NO_MAPPING, parseMapping } from './inventory/mapping';
import { describeProblem, ImportProblems, Problem } from './inventory/problems';
import { inputKind, readTable } from './inventory/read-table';
import { documentFromSheet } from './inventory/sheet';
import { Origins, RegistryDocument } from './registry-document';
import { progressBar } from './progress';
import { periodsBetween } from './report/periods';
import { renderReportPdf } from './report/pdf';

/** Commands print their results on stdout; they return the exit code. */
type Out = (text: string) => void;

async function actor(app: INestApplicationContext, as: string | undefined, fallback: string): Promise<Actor> {
  return app.get(CliActors).resolve(parseAs(as ?? fallback));
}

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${what} ${path}: ${(error as Error).message}`);
  }
}

async function writeOut(out: Out, path: string | undefined, content: string | Buffer): Promise<void> {
  if (path) await writeFile(path, content);
  else out(content.toString());
}

// ------------------------------------------------------------------ import

export interface ImportArgs {
  file: string;
  mapping?: string;
  dryRun: boolean;
  as?: string;
}

/** Read a file into a registry document; problems found on the way are returned, not thrown. */
export async function readImportFile(
  file: string,
  mappingFile: string | undefined,
): Promise<{ document: RegistryDocument; origins: Origins; problems: Problem[]; notes: string[] }> {
  const kind = inputKind(file);
  if (kind === 'json') {
    if (mappingFile) throw new UsageError('--mapping applies to spreadsheets, not to a JSON document');
    return { ...readDocument(await readJson(file, 'cannot read')), notes: [] };
  }
  let mapping: Mapping = NO_MAPPING;
  if (mappingFile) {
    try {
      mapping = parseMapping(await readJson(mappingFile, 'cannot read the mapping'));
    } catch (error) {
      if (error instanceof MappingError) throw new UsageError(`mapping ${mappingFile}: ${error.message}`);
      throw error;
    }
  }
  const sheet = documentFromSheet(await readTable(file, kind, mapping.sheet), mapping);
  const notes = [
    ...(sheet.ignored.length ? [`columns left alone: ${sheet.ignored.map((h) => `"${h}"`).join(', ')}`] : []),
    ...(sheet.skipped ? [`${sheet.skipped} blank row${sheet.skipped === 1 ? '' : 's'} skipped`] : []),
  ];
  return { document: sheet.document, origins: sheet.origins, problems: sheet.problems, notes };
}

export function summaryTable(outcome: ImportOutcome): string {
  const head = ['', 'created', 'updated', 'unchanged', 'skipped'];
  const rows = ENTITY_KINDS.map((k) => {
    const c = outcome.counts[k];
    return [k, c.created, c.updated, c.unchanged, c.skipped].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function printProblems(out: Out, problems: Problem[]): void {
  out(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written:\n`);
  for (const p of problems) out(`  ${describeProblem(p)}\n`);
}

export async function importCommand(
  app: INestApplicationContext,
  args: ImportArgs,
  out: Out,
): Promise<number> {
  const { document, origins, problems, notes } = await readImportFile(args.file, args.mapping);
  const mode = args.dryRun ? 'Dry run of the import' : 'Import';
  out(
    `${mode} of ${args.file}: ${document.blockers.length} blockers, ${document.needs.length} needs` +
      (document.providers.length
        ? `, ${document.providers.length} providers, ${document.datasets.length} datasets`
        : '') +
      '\n',
  );
  for (const note of notes) out(`note: ${note}\n`);
  const who = await actor(app, args.as, 'ADMIN');
  const importer = app.get(RegistryImporter);
  if (problems.length > 0) {
    // The file's own problems, and those of the references that could be read, all at once.
    const all = [...problems, ...(await importer.referenceProblems(who, document, origins))].sort(
      (a, b) => (a.row ?? 0) - (b.row ?? 0),
    );
    printProblems(out, all);
    return 1;
  }
  const bar = progressBar(args.dryRun ? 'checking' : 'importing');
  let outcome: ImportOutcome;
  try {
    outcome = await app
      .get(RegistryImporter)
      .run(who, document, origins, { dryRun: args.dryRun, progress: bar.update });
  } catch (error) {
    bar.finish();
    if (!(error instanceof ImportProblems)) throw error;
    printProblems(out, error.problems);
    return 1;
  }
  bar.finish();
  if (outcome.changes.length === 0)
    out('Nothing to change: the registry already holds everything in the file.\n');
  else {
    out(args.dryRun ? 'Would do:\n' : 'Done:\n');
    for (const change of outcome.changes) out(`  ${change}\n`);
  }
  out(`${summaryTable(outcome)}\n`);
  out(args.dryRun ? 'Dry run: nothing was written.\n' : 'Committed in one transaction.\n');
  return 0;
}

// ------------------------------------------------------------------ export

export interface ExportArgs {
  format: string;
  filters: string[];
  out?: string;
  as?: string;
}

async function xlsx(rows: SteeringRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Knooppunt';
  const sheet = workbook.addWorksheet('Blockers', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = STEERING_COLUMNS.map((key) => ({
    header: key,
    key,
    width: Math.min(60, Math.max(key.length + 2, ...rows.map((r) => String(r[key] ?? '').length + 2))),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: STEERING_COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportCommand(
  app: INestApplicationContext,
  args: ExportArgs,
  out: Out,
): Promise<number> {
  if (!['csv', 'xlsx', 'json'].includes(args.format))
    throw new UsageError('--format must be csv, xlsx or json');
  if (args.format === 'xlsx' && !args.out) throw new UsageError('--format xlsx needs --out <file.xlsx>');
  const filter = parseFilters(args.filters);
  const providers = app.get(ProvidersService);
  for (const name of ['provider', 'owner'] as const) {
    const ref = filter[name];
    if (!ref) continue;
    const p = await providers.findByIdentifier(ref);
    if (!p) throw new UsageError(`--filter ${name}: no provider is known as "${ref}"`);
    if (name === 'provider') filter.values.providerId = p.id;
    else filter.values.ownerId = p.id;
  }
  const who = await actor(app, args.as, 'ANALYST');
  const exporter = app.get(RegistryExporter);
  if (args.format === 'json') {
    await writeOut(
      out,
      args.out,
      `${JSON.stringify(await exporter.document(who, filter.values), null, 2)}\n`,
    );
  } else {
    const rows = await exporter.steeringRows(who, filter.values);
    if (args.format === 'csv')
      await writeOut(out, args.out, stringify(rows, { header: true, columns: STEERING_COLUMNS }));
    else await writeOut(out, args.out, await xlsx(rows));
  }
  if (args.out) process.stderr.write(`wrote ${args.out}\n`);
  return 0;
}

// ------------------------------------------------------------------ report

export interface ReportArgs {
  from?: string;
  to?: string;
  format: string;
  out?: string;
  as?: string;
}

export async function reportCommand(
  app: INestApplicationContext,
  args: ReportArgs,
  out: Out,
): Promise<number> {
  if (!['md', 'pdf'].includes(args.format)) throw new UsageError('--format must be md or pdf');
  if (args.format === 'pdf' && !args.out) throw new UsageError('--format pdf needs --out <file.pdf>');
  const from = parseInstant('--from', args.from);
  const to = parseInstant('--to', args.to);
  if (from.getTime() >= to.getTime()) throw new UsageError('--to must be later than --from');
  const who = await actor(app, args.as, 'ANALYST');
  const analytics = app.get(AnalyticsService);
  const report = await analytics.progressReport(who, from, to);
  if (args.format === 'md') {
    await writeOut(out, args.out, report.markdown);
  } else {
    const chart = [];
    // Steps end today at the latest: the service reports a future step as it stands today.
    const end = new Date(Math.min(to.getTime(), Date.now()));
    for (const period of end > from ? periodsBetween(from, end) : []) {
      const step = await analytics.progressReport(who, period.from, period.to);
      chart.push({ label: period.label, byLayer: step.byLayer });
    }
    await writeOut(out, args.out, await renderReportPdf(report.markdown, chart));
  }
  if (args.out) process.stderr.write(`wrote ${args.out}\n`);
  return 0;
}

// ------------------------------------------------------------------ seed

export async function seedCommand(app: INestApplicationContext, out: Out): Promise<number> {
  const loaded = await app.get(DemoDataLoader).loadIfEmpty();
  out(
    loaded
      ? 'demo data loaded into the empty registry\n'
      : 'the registry is not empty: demo data not loaded\n',
  );
  return 0;
}
