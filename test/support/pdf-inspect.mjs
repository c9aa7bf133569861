// Reads a PDF with pdf.js (pure JavaScript) and prints what the tests check, as JSON: the page count,
// each page's text, and how many paths each page fills (the chart's bars and legend) and strokes.
// Run as a separate Node process because pdf.js is an ES module that Jest's CommonJS runtime cannot load.
//   node test/support/pdf-inspect.mjs report.pdf
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

const fonts = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts/');
const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, standardFontDataUrl: fonts, isEvalSupported: false }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  const ops = await page.getOperatorList();
  // A path is built and painted by one constructPath operation whose first argument is the paint.
  const painted = (paint) =>
    ops.fnArray.filter((fn, i) => fn === paint || (fn === OPS.constructPath && ops.argsArray[i][0] === paint)).length;
  pages.push({
    text: content.items.map((i) => ('str' in i ? i.str : '')).join(' '),
    fills: painted(OPS.fill) + painted(OPS.eoFill),
    strokes: painted(OPS.stroke),
  });
}
process.stdout.write(JSON.stringify({ pages: pdf.numPages, title: (await pdf.getMetadata()).info?.Title ?? null, content: pages }));
