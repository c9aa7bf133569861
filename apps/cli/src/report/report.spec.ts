import { renderProgressReport } from '@app/analytics/domain/report';
import { BlockerLayer } from '@app/blockers/domain/taxonomy';
import { markdownBlocks, plainText } from './markdown';
import { periodsBetween } from './periods';

describe('the progress report for the PDF', () => {
  it('reads the Markdown the analytics library renders back as headings, tables and bullets', () => {
    const markdown = renderProgressReport({
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
      asOf: new Date('2026-04-01T00:00:00Z'),
      reported: 3,
      resolved: 1,
      reopened: 0,
      openAtEnd: 2,
      stale: 0,
      medianDaysToResolve: 12,
      byLayer: Object.values(BlockerLayer).map((layer) => ({
        layer,
        open: layer === BlockerLayer.LEGAL ? 2 : 0,
        resolved: 0,
      })),
      newBlockers: [
        {
          key: 'KNP-7',
          title: 'Secret | pipes_and *stars*',
          layer: BlockerLayer.LEGAL,
          severity: 'HIGH',
          status: 'REPORTED',
        },
      ],
      resolvedBlockers: [],
      staleBlockers: [],
    });
    const blocks = markdownBlocks(markdown);
    expect(blocks[0]).toEqual({
      kind: 'heading',
      level: 1,
      text: 'Progress report on data-exchange blockers: 2026-01-01 to 2026-03-31',
    });
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual([
      'Progress report on data-exchange blockers: 2026-01-01 to 2026-03-31',
      'Summary',
      'Per layer',
      'Resolved blockers',
      'New blockers',
      'Stale blockers',
    ]);
    const summary = blocks.find((b) => b.kind === 'table')!;
    expect(summary).toMatchObject({ header: ['Measure', 'Value'], numeric: [false, true] });
    expect(summary.kind === 'table' && summary.rows[0]).toEqual(['Blockers reported', '3']);
    const newTable = blocks.filter((b) => b.kind === 'table')[2];
    expect(newTable.kind === 'table' && newTable.rows[0].slice(0, 2)).toEqual([
      'KNP-7',
      'Secret | pipes_and *stars*',
    ]);
    expect(plainText('**Total** and _a note_')).toBe('Total and a note');
  });

  it('cuts the period into at most twelve steps that end at its end', () => {
    const year = periodsBetween(new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(year).toHaveLength(12);
    expect(year[0].from.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(year.at(-1)!.to.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(year.at(-1)!.label).toBe('2026-12-31');
    for (let i = 1; i < year.length; i++) expect(year[i].from).toEqual(year[i - 1].to);
    expect(
      periodsBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-04T00:00:00Z')).map((p) => p.label),
    ).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });
});
