import { types } from 'pg';
import { parseTimestamptz } from './timestamps';

const pgParser = types.getTypeParser(1184, 'text') as (text: string) => unknown;

const same = (text: string): void => {
  const mine = parseTimestamptz(text);
  const theirs = pgParser(text);
  const value = (v: unknown): unknown => (v instanceof Date ? v.getTime() : v);
  expect({ text, value: value(mine), isDate: mine instanceof Date }).toEqual({
    text,
    value: value(theirs),
    isDate: theirs instanceof Date,
  });
};

describe('parseTimestamptz', () => {
  it('gives what pg gives for the shapes PostgreSQL prints', () => {
    for (const text of [
      '2026-11-29 16:08:42.652+00',
      '2026-11-29 16:08:42+00',
      '2026-11-29 16:08:42.1+00',
      '2026-11-29 16:08:42.029+00',
      '2026-11-29 16:08:42.057123+00',
      '2026-11-29 16:08:42.999999+00',
      '2026-02-28 23:59:59.5+01',
      '2024-02-29 00:00:00-03',
      '2024-12-31 23:30:00+05:30',
      '2024-12-31 23:30:00-09:30',
      '1970-01-01 00:00:00+00',
      '1000-01-01 00:00:00+00',
      '9999-12-31 23:59:59.999999+14',
    ]) {
      same(text);
    }
  });

  it('leaves every other shape to pg', () => {
    for (const text of [
      'infinity',
      '-infinity',
      '0099-01-01 00:00:00+00',
      '0001-01-01 00:00:00+00 BC',
      '10000-01-01 00:00:00+00',
      '2024-12-31 23:30:00+05:30:15',
      '2024-12-31 23:30:00.+00',
      '2024-12-31 23:30:00Z',
      '2024-12-31',
      'not a time',
    ]) {
      same(text);
    }
  });

  it('gives what pg gives for many instants and fractions', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (v: number, width: number): string => String(v).padStart(width, '0');
    for (let i = 0; i < 5000; i++) {
      const fraction = next(3) === 0 ? '' : `.${pad(next(1_000_000), 6).slice(0, 1 + next(6))}`;
      const hours = next(15);
      const offset = `${next(2) === 0 ? '+' : '-'}${pad(hours, 2)}${next(4) === 0 ? `:${pad(next(60), 2)}` : ''}`;
      same(
        `${1000 + next(9000)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)} ` +
          `${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}${fraction}${offset}`,
      );
    }
  });
});
