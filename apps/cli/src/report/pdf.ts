import PDFDocument from 'pdfkit';
import { humanise, LAYERS } from '@app/analytics/domain/report';
import { BlockerLayer } from '@app/blockers/domain/taxonomy';
import { Block, markdownBlocks } from './markdown';

/** Open and resolved blockers per layer in one step of the report period. */
export interface ChartPoint {
  label: string;
  byLayer: ReadonlyArray<{ layer: BlockerLayer; open: number; resolved: number }>;
}

export const CHART_TITLE = 'Open and resolved blockers per layer over time';

const LAYER_COLOURS: Record<BlockerLayer, string> = {
  LEGAL: '#1f4e79',
  ORGANISATIONAL: '#c55a11',
  SEMANTIC: '#548235',
  TECHNICAL: '#7030a0',
  GOVERNANCE: '#bf9000',
};

const MARGIN = 50;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/**
 * The progress report as a PDF, drawn locally (pdfkit and its built-in fonts, nothing fetched): the
 * report's Markdown laid out block by block, and after the per-layer table a stacked bar chart of the
 * blockers open at the end of each step and resolved within it, per layer.
 */
export function renderReportPdf(markdown: string, chart: readonly ChartPoint[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: titleOf(markdown), Creator: 'Knooppunt' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let section = '';
  for (const block of markdownBlocks(markdown)) {
    if (block.kind === 'heading' && section === 'Per layer') drawChart(doc, chart);
    if (block.kind === 'heading') section = block.text;
    drawBlock(doc, block);
  }
  if (section === 'Per layer') drawChart(doc, chart);
  doc.end();
  return done;
}

function titleOf(markdown: string): string {
  return /^#\s+(.*)$/m.exec(markdown)?.[1] ?? 'Progress report';
}

const width = (doc: PDFKit.PDFDocument): number => doc.page.width - 2 * MARGIN;
const bottom = (doc: PDFKit.PDFDocument): number => doc.page.height - MARGIN;

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function drawBlock(doc: PDFKit.PDFDocument, block: Block): void {
  const x = MARGIN;
  switch (block.kind) {
    case 'heading': {
      const size = block.level === 1 ? 17 : 13;
      ensureRoom(doc, size * 3);
      doc.moveDown(block.level === 1 ? 0 : 0.8);
      doc
        .font(BOLD)
        .fontSize(size)
        .fillColor('black')
        .text(block.text, x, doc.y, { width: width(doc) });
      doc.moveDown(0.4);
      break;
    }
    case 'paragraph':
      doc
        .font(FONT)
        .fontSize(10)
        .text(block.text, x, doc.y, { width: width(doc) });
      doc.moveDown(0.3);
      break;
    case 'bullet': {
      doc.font(FONT).fontSize(10);
      const h = doc.heightOfString(block.text, { width: width(doc) - 12 });
      ensureRoom(doc, h);
      const y = doc.y;
      doc.text('\u2022', x, y).text(block.text, x + 12, y, { width: width(doc) - 12 });
      doc.moveDown(0.3);
      break;
    }
    case 'table':
      drawTable(doc, block);
      break;
  }
}

function drawTable(doc: PDFKit.PDFDocument, table: Extract<Block, { kind: 'table' }>): void {
  const total = width(doc);
  const lengths = table.header.map((h, c) =>
    Math.min(40, Math.max(h.length, ...table.rows.map((r) => (r[c] ?? '').length), 4)),
  );
  const sum = lengths.reduce((a, b) => a + b, 0);
  const widths = lengths.map((l) => (l / sum) * total);
  const pad = 3;
  const row = (cells: string[], bold: boolean): void => {
    doc.font(bold ? BOLD : FONT).fontSize(8.5);
    const heights = cells.map((t, c) => doc.heightOfString(t, { width: widths[c] - 2 * pad }));
    const h = Math.max(...heights, 10) + 2 * pad;
    ensureRoom(doc, h);
    const y = doc.y;
    let cx = MARGIN;
    cells.forEach((t, c) => {
      doc.text(t, cx + pad, y + pad, {
        width: widths[c] - 2 * pad,
        align: table.numeric[c] ? 'right' : 'left',
      });
      cx += widths[c];
    });
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + total, y + h)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor('#888888')
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  row(table.header, true);
  for (const r of table.rows) row(r, false);
  doc.moveDown(0.6);
}

/** Stacked bars: per step, the open blockers at its end (left) and those resolved in it (right). */
function drawChart(doc: PDFKit.PDFDocument, points: readonly ChartPoint[]): void {
  const height = 170;
  ensureRoom(doc, height + 110);
  doc.moveDown(0.8);
  doc
    .font(BOLD)
    .fontSize(13)
    .fillColor('black')
    .text(CHART_TITLE, MARGIN, doc.y, { width: width(doc) });
  doc.moveDown(0.3);
  doc
    .font(FONT)
    .fontSize(8.5)
    .text(
      'Left bar of each pair: open at the end of the step. Right bar: resolved within the step.',
      MARGIN,
      doc.y,
    );
  const top = doc.y + 12;
  const left = MARGIN + 28;
  const plotWidth = width(doc) - 28;
  const total = (p: ChartPoint, key: 'open' | 'resolved'): number =>
    p.byLayer.reduce((s, l) => s + l[key], 0);
  const max = Math.max(1, ...points.flatMap((p) => [total(p, 'open'), total(p, 'resolved')]));
  const scale = height / max;
  // Axis and ticks.
  doc.lineWidth(0.5).strokeColor('#444444');
  doc
    .moveTo(left, top)
    .lineTo(left, top + height)
    .lineTo(left + plotWidth, top + height)
    .stroke();
  const tick = Math.max(1, Math.ceil(max / 5));
  for (let v = 0; v <= max; v += tick) {
    const y = top + height - v * scale;
    doc
      .fillColor('#444444')
      .fontSize(7)
      .text(String(v), MARGIN, y - 3, { width: 24, align: 'right' });
  }
  const slot = plotWidth / Math.max(1, points.length);
  const bar = Math.min(18, (slot - 6) / 2);
  points.forEach((p, i) => {
    const x0 = left + i * slot + (slot - 2 * bar - 2) / 2;
    (['open', 'resolved'] as const).forEach((key, k) => {
      let y = top + height;
      for (const layer of LAYERS) {
        const value = p.byLayer.find((l) => l.layer === layer)?.[key] ?? 0;
        if (value === 0) continue;
        const h = value * scale;
        y -= h;
        doc
          .rect(x0 + k * (bar + 2), y, bar, h)
          .fillOpacity(key === 'open' ? 1 : 0.55)
          .fill(LAYER_COLOURS[layer]);
      }
      doc.fillOpacity(1);
    });
    doc
      .fillColor('#444444')
      .fontSize(6.5)
      .text(p.label, left + i * slot, top + height + 3, { width: slot, align: 'center' });
  });
  // Legend.
  let lx = MARGIN;
  const ly = top + height + 18;
  for (const layer of LAYERS) {
    doc.rect(lx, ly, 8, 8).fill(LAYER_COLOURS[layer]);
    doc
      .fillColor('black')
      .fontSize(8)
      .text(humanise(layer), lx + 11, ly, { lineBreak: false });
    lx += 20 + doc.widthOfString(humanise(layer));
  }
  doc.x = MARGIN;
  doc.y = ly + 20;
  doc.fillColor('black');
}
