import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { SheetTable } from './sheet';

/** The separator of a CSV file: a semicolon when the header has more of them than commas (Dutch Excel). */
export function csvDelimiter(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** A CSV text as a table; row numbers count the file's lines (the header is row 1). */
export function tableFromCsv(text: string): SheetTable {
  const records = parse(text, {
    bom: true,
    delimiter: csvDelimiter(text),
    relax_column_count: true,
    // Files edited by hand mix Windows and Unix line ends.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: false,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const [head, ...rest] = records;
  return {
    headers: head?.record.map((h) => h.trim()) ?? [],
    rows: rest.map((r) => ({ row: r.info.lines, cells: r.record })),
  };
}

/** A worksheet cell as text: dates as YYYY-MM-DD, numbers as written, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

export async function tableFromXlsx(path: string, sheet: string | null): Promise<SheetTable> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const worksheet = sheet ? workbook.getWorksheet(sheet) : workbook.worksheets[0];
  if (!worksheet) {
    const names = workbook.worksheets.map((w) => `"${w.name}"`).join(', ');
    throw new Error(
      sheet ? `the workbook has no sheet "${sheet}" (it has ${names})` : 'the workbook has no sheets',
    );
  }
  const width = worksheet.columnCount;
  const texts = (row: ExcelJS.Row): string[] =>
    Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value).trim());
  const rows: SheetTable['rows'] = [];
  for (let n = 2; n <= worksheet.rowCount; n++) rows.push({ row: n, cells: texts(worksheet.getRow(n)) });
  return { headers: texts(worksheet.getRow(1)), rows };
}

export type InputKind = 'csv' | 'xlsx' | 'json';

export function inputKind(path: string): InputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.json') return 'json';
  throw new Error(`cannot import ${ext || 'a file without extension'}: use .csv, .xlsx or .json`);
}

export async function readTable(
  path: string,
  kind: 'csv' | 'xlsx',
  sheet: string | null,
): Promise<SheetTable> {
  return kind === 'csv' ? tableFromCsv(await readFile(path, 'utf8')) : tableFromXlsx(path, sheet);
}
