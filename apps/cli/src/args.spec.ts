import { parseAs, parseFilters, parseInstant, UsageError } from './args';

describe('command-line arguments', () => {
  it('reads who acts from --as', () => {
    expect(parseAs('admin')).toEqual({ subject: null, role: 'ADMIN', org: null });
    expect(parseAs('STEWARD/UWV')).toEqual({ subject: null, role: 'STEWARD', org: 'UWV' });
    expect(parseAs('j.jansen/STEWARD/https://identifier.overheid.nl/tooi/id/zbo/zb000117')).toEqual({
      subject: 'j.jansen',
      role: 'STEWARD',
      org: 'https://identifier.overheid.nl/tooi/id/zbo/zb000117',
    });
    expect(() => parseAs('STEWARD')).toThrow(/a STEWARD acts for a provider/);
    expect(() => parseAs('alice')).toThrow(UsageError);
  });

  it('reads export filters and refuses unknown names and values', () => {
    const filter = parseFilters([
      'status=in progress,ESCALATED',
      'layer=legal',
      'open=yes',
      'owner=SZW',
      'since=2026-01-01',
    ]);
    expect(filter.values).toEqual({
      status: ['IN_PROGRESS', 'ESCALATED'],
      layer: ['LEGAL'],
      open: true,
      createdAfter: new Date('2026-01-01T00:00:00Z'),
    });
    expect(filter.owner).toBe('SZW');
    expect(() => parseFilters(['colour=red'])).toThrow(/unknown filter/);
    expect(() => parseFilters(['severity=urgent'])).toThrow(/--filter severity: unknown severity "urgent"/);
    expect(() => parseFilters(['status'])).toThrow(/write name=value/);
  });

  it('reads report boundaries as dates at midnight UTC', () => {
    expect(parseInstant('--from', '2026-01-01').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => parseInstant('--from', undefined)).toThrow(/--from is required/);
    expect(() => parseInstant('--to', 'soon')).toThrow(/not a date/);
  });
});
