/**
 * The progress report's Markdown (libs/analytics renders it) read back as blocks for the PDF, so that
 * the PDF says exactly what the Markdown says. Only what the report uses is understood: headings,
 * tables, bullet lists and paragraphs, with **bold**, _italic_ and backslash escapes inline.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'table'; header: string[]; rows: string[][]; numeric: boolean[] }
  | { kind: 'bullet'; text: string }
  | { kind: 'paragraph'; text: string };

/** Inline text without Markdown marks: `**x**` and `_x_` lose their marks, `\|` becomes `|`. */
export function plainText(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\s)_(.+?)_(?=\s|$)/g, '$1$2')
    .replace(/\\(.)/g, '$1')
    .trim();
}

/** Cells of a table row; `\|` inside a cell is text, not a border. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => plainText(c));
}

export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1].length, text: plainText(heading[2]) });
    } else if (line.trimStart().startsWith('|')) {
      const header = cells(line);
      const align = lines[i + 1] && /^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1]) ? cells(lines[++i]) : [];
      const rows: string[][] = [];
      while (lines[i + 1]?.trimStart().startsWith('|')) rows.push(cells(lines[++i]));
      blocks.push({ kind: 'table', header, rows, numeric: header.map((_, c) => /:$/.test(align[c] ?? '')) });
    } else if (/^\s*[-*]\s+/.test(line)) {
      blocks.push({ kind: 'bullet', text: plainText(line.replace(/^\s*[-*]\s+/, '')) });
    } else {
      blocks.push({ kind: 'paragraph', text: plainText(line) });
    }
  }
  return blocks;
}
