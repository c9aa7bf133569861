import { types } from 'pg';

/** PostgreSQL's type OID of `timestamptz`. */
const TIMESTAMPTZ = 1184;

type Parser = (text: string) => unknown;
/** pg's own parser of `timestamptz` (postgres-date), for every shape not read here. */
const pgParser = types.getTypeParser(TIMESTAMPTZ, 'text') as Parser;

/** Where `yyyy-mm-dd hh:mm:ss` has its digits. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;
const two = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);
const isDigit = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at);
  return c >= 48 && c <= 57;
};

/**
 * A `timestamptz` as PostgreSQL prints it (DateStyle ISO), as a Date: the same value as `pg`'s own
 * parser (postgres-date), which matches each value with a regular expression of eight groups and a
 * second one for the offset. Every row of every read holds a few of these (a page of the list about
 * 1 400), so the common shape `2026-11-29 16:08:42.652+00` (four-digit year, optional fraction, offset
 * in hours and optional minutes) is read here character by character; anything else (BC, infinity,
 * other years, offsets with seconds) goes to pg's parser.
 */
export function parseTimestamptz(text: string): unknown {
  const n = text.length;
  // yyyy-mm-dd hh:mm:ss then the fraction and the offset.
  if (
    n < 22 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(0) === 48 // years before 1000 keep pg's handling
  ) {
    return pgParser(text);
  }
  for (const at of DIGITS) {
    if (!isDigit(text, at)) return pgParser(text);
  }
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    const start = i;
    i++;
    while (i < n && isDigit(text, i)) i++;
    if (i === start + 1) return pgParser(text);
    // As postgres-date computes it (1000 * parseFloat('.ddd')), so that the values stay the same.
    ms = 1000 * parseFloat(text.slice(start, i));
  }
  const sign = text.charCodeAt(i);
  if ((sign !== 43 && sign !== 45) || !isDigit(text, i + 1) || !isDigit(text, i + 2)) {
    return pgParser(text);
  }
  let offsetMinutes = two(text, i + 1) * 60;
  i += 3;
  if (i < n) {
    if (n !== i + 3 || text.charCodeAt(i) !== 58 || !isDigit(text, i + 1) || !isDigit(text, i + 2)) {
      return pgParser(text);
    }
    offsetMinutes += two(text, i + 1);
  }
  const year = two(text, 0) * 100 + two(text, 2);
  const utc = Date.UTC(year, two(text, 5) - 1, two(text, 8), two(text, 11), two(text, 14), two(text, 17), ms);
  return new Date(utc - (sign === 45 ? -offsetMinutes : offsetMinutes) * 60_000);
}

/** Reads of `timestamptz` through `parseTimestamptz` (for every pg client of this process). */
export function installTimestampParser(): void {
  types.setTypeParser(TIMESTAMPTZ, parseTimestamptz);
}
