/**
 * What is wrong with an import file, located as precisely as the file allows: a spreadsheet row and
 * column (the column as the file names it), or the path of an item in a JSON document.
 */
export interface Problem {
  /** Spreadsheet row number (the header is row 1), or null when the problem is not in one row. */
  row: number | null;
  /** Column header as written in the file, or a JSON path such as `blockers[3].severity`. */
  column: string | null;
  message: string;
}

export function describeProblem(p: Problem): string {
  const where = [p.row !== null ? `row ${p.row}` : null, p.column !== null ? `column "${p.column}"` : null]
    .filter((x) => x !== null)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** An import that cannot go ahead; every problem found is listed. */
export class ImportProblems extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(describeProblem).join('\n')}`,
    );
    this.name = 'ImportProblems';
  }
}
