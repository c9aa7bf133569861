import { BlockerLayer } from '@app/blockers/domain/taxonomy';
import {
  ageBucket,
  describePeriod,
  escapeMarkdown,
  humanise,
  median,
  ProgressReportData,
  renderProgressReport,
  wholeDays,
} from './report';

describe('statistics helpers', () => {
  it('median of odd and even counts, null for none', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it.each([
    [0, '0-30'],
    [30, '0-30'],
    [31, '31-90'],
    [90, '31-90'],
    [91, '91-180'],
    [180, '91-180'],
    [181, '181+'],
    [5000, '181+'],
  ])('%d days open falls in %s', (days, label) => {
    expect(ageBucket(days)).toBe(label);
  });

  it('counts whole days', () => {
    expect(wholeDays(new Date('2027-01-01T12:00Z'), new Date('2027-01-31T11:59Z'))).toBe(29);
    expect(wholeDays(new Date('2027-01-01T12:00Z'), new Date('2027-01-31T12:00Z'))).toBe(30);
  });
});

describe('markdown', () => {
  it('escapes what Markdown would read as markup, and line breaks', () => {
    expect(escapeMarkdown('a | b *c* _d_ [e](f) <g>\n#h')).toBe(
      'a \\| b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\#h',
    );
  });

  it('humanises codes', () => {
    expect(humanise('LEGAL')).toBe('Legal');
    expect(humanise('LEGAL_INTERPRETATION')).toBe('Legal interpretation');
  });

  it('describes whole-day periods with inclusive dates, others with instants', () => {
    expect(describePeriod(new Date('2027-01-01T00:00Z'), new Date('2027-04-01T00:00Z'))).toBe(
      '2027-01-01 to 2027-03-31',
    );
    expect(describePeriod(new Date('2027-01-01T00:00Z'), new Date('2027-01-02T00:00Z'))).toBe('2027-01-01');
    expect(describePeriod(new Date('2027-01-01T08:00Z'), new Date('2027-01-02T00:00Z'))).toBe(
      '2027-01-01T08:00:00.000Z up to 2027-01-02T00:00:00.000Z',
    );
  });

  const report: ProgressReportData = {
    from: new Date('2027-01-01T00:00Z'),
    to: new Date('2027-04-01T00:00Z'),
    asOf: new Date('2027-04-01T00:00Z'),
    reported: 1,
    resolved: 1,
    reopened: 1,
    openAtEnd: 4,
    stale: 1,
    medianDaysToResolve: 45.25,
    byLayer: [
      { layer: BlockerLayer.LEGAL, open: 3, resolved: 1 },
      { layer: BlockerLayer.TECHNICAL, open: 1, resolved: 0 },
    ],
    newBlockers: [
      {
        key: 'KNP-7',
        title: 'Title with | pipe',
        layer: BlockerLayer.LEGAL,
        severity: 'HIGH',
        status: 'TRIAGED',
      },
    ],
    resolvedBlockers: [
      {
        key: 'KNP-2',
        title: 'Seizures not visible',
        layer: BlockerLayer.LEGAL,
        severity: 'CRITICAL',
        status: 'RESOLVED',
        resolvedAt: new Date('2027-02-15T10:00Z'),
        daysToResolve: 45.25,
        resolution: { kind: 'LEGISLATION', summary: 'Amended the law', reference: 'Stb. 2027, 12' },
      },
    ],
    staleBlockers: [
      {
        key: 'KNP-1',
        title: 'Stuck',
        layer: BlockerLayer.TECHNICAL,
        severity: 'LOW',
        status: 'ESCALATED',
        owner: 'SZW',
        statusChangedAt: new Date('2026-10-01T00:00Z'),
        daysWithoutChange: 182,
      },
    ],
  };

  it('renders a complete progress report', () => {
    const md = renderProgressReport(report);
    expect(md).toMatch(/^# Progress report on data-exchange blockers: 2027-01-01 to 2027-03-31\n/);
    expect(md).toContain('| Blockers reported | 1 |');
    expect(md).toContain('| Blockers resolved | 1 |');
    expect(md).toContain('| Blockers reopened | 1 |');
    expect(md).toContain('| Open at the end of the period | 4 |');
    expect(md).toContain('| Median days from report to resolution | 45.3 |');
    expect(md).toContain('| Legal | 3 | 1 |');
    expect(md).toContain('| Technical | 1 | 0 |');
    expect(md).toContain('| **Total** | **4** | **1** |');
    expect(md).toContain(
      '- **KNP-2** Seizures not visible (Legal), resolved 2027-02-15 after 45.3 days. ' +
        'Legislation: Amended the law (reference: Stb. 2027, 12)',
    );
    expect(md).toContain('| KNP-7 | Title with \\| pipe | Legal | High | Triaged |');
    expect(md).toContain('| KNP-1 | Stuck | Technical | Escalated | SZW | 2026-10-01 | 182 |');
    expect(md).not.toContain('confidential');
    expect(md.endsWith('\n')).toBe(true);
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('says None for empty sections, n/a without a median, and notes unlisted confidential blockers', () => {
    const md = renderProgressReport({
      ...report,
      reported: 2,
      medianDaysToResolve: null,
      newBlockers: [],
      resolvedBlockers: [],
      staleBlockers: [],
    });
    expect(md).toContain('## Resolved blockers\n\nNone.');
    expect(md).toContain('## New blockers\n\nNone.');
    expect(md).toContain('## Stale blockers\n\nNone.');
    expect(md).toContain('| Median days from report to resolution | n/a |');
    expect(md).toContain('_Totals include confidential blockers that are not listed._');
  });

  it('says when a list is cut, and tells cut lists apart from unlisted confidential blockers', () => {
    const cut = renderProgressReport({
      ...report,
      reported: 250,
      resolved: 3,
      listable: { newBlockers: 250, resolvedBlockers: 3, staleBlockers: 1 },
    });
    expect(cut).toContain(
      '| KNP-7 | Title with \\| pipe | Legal | High | Triaged |\n\n_The first 1 of 250 are listed._',
    );
    expect(cut).toContain('(reference: Stb. 2027, 12)\n\n_The first 1 of 3 are listed._');
    expect(cut.match(/are listed/g)).toHaveLength(2);
    expect(cut).not.toContain('confidential');

    const hidden = renderProgressReport({
      ...report,
      reported: 250,
      listable: { newBlockers: 249, resolvedBlockers: 1, staleBlockers: 1 },
    });
    expect(hidden).toContain('_The first 1 of 249 are listed._');
    expect(hidden).toContain('_Totals include confidential blockers that are not listed._');
  });

  it('says when the period has not ended', () => {
    const md = renderProgressReport({ ...report, asOf: new Date('2027-03-01T12:00Z') });
    expect(md).toContain(
      '| Open at the end of the period (the period has not ended: as at 2027-03-01) | 4 |',
    );
  });
});
