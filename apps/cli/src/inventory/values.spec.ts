import { readBoolean, readCount, readDate, readEnum, readList, toCode } from './values';

describe('cell values', () => {
  it('reads codes however an inventory writes them', () => {
    expect(toCode(' No legal basis ')).toBe('NO_LEGAL_BASIS');
    expect(toCode('in-progress')).toBe('IN_PROGRESS');
    expect(readEnum('severity', ['HIGH', 'LOW'], 'high')).toEqual({ ok: true, value: 'HIGH' });
    expect(readEnum('severity', ['HIGH', 'LOW'], 'Urgent')).toEqual({
      ok: false,
      message: 'unknown severity "Urgent"; use HIGH, LOW',
    });
  });

  it('reads whole numbers with thousands separators and refuses anything else', () => {
    for (const text of ['45000', '45.000', '45,000', '45 000', '1.400.000'])
      expect(readCount(text)).toEqual({ ok: true, value: Number(text.replace(/\D/g, '')) });
    for (const text of ['12,5', '4.5', '-3', 'veel', '1.00', '45.0000', ''])
      expect(readCount(text).ok).toBe(false);
    expect(readCount('3000000000')).toEqual({ ok: false, message: '3000000000 is too large' });
  });

  it('reads yes and no in English and Dutch', () => {
    expect(readBoolean('Ja')).toEqual({ ok: true, value: true });
    expect(readBoolean('no')).toEqual({ ok: true, value: false });
    expect(readBoolean('misschien').ok).toBe(false);
  });

  it('reads ISO and Dutch dates and refuses impossible ones', () => {
    expect(readDate('2026-03-01')).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate('1-3-2026')).toEqual({ ok: true, value: '2026-03-01' });
    expect(readDate('2026-02-30').ok).toBe(false);
    expect(readDate('next week').ok).toBe(false);
  });

  it('splits lists on semicolons and line breaks, keeping commas inside items', () => {
    expect(readList('bruto loon; uitkeringen;\nadres, woonplaats;')).toEqual([
      'bruto loon',
      'uitkeringen',
      'adres, woonplaats',
    ]);
  });
});
