/**
 * Reading cell values as the registry's types. Every reader returns the value or a message saying what
 * was expected; the caller adds the row and column. Blank cells are null before they get here.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(message: string): Read<T> => ({ ok: false, message });

/** `No legal basis`, `no-legal-basis` and `NO_LEGAL_BASIS` all name the code NO_LEGAL_BASIS. */
export const toCode = (text: string): string =>
  text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');

export function readEnum<T extends string>(what: string, values: readonly T[], text: string): Read<T> {
  const code = toCode(text);
  return (values as readonly string[]).includes(code)
    ? ok(code as T)
    : fail(`unknown ${what} "${text}"; use ${values.join(', ')}`);
}

/**
 * A whole number of zero or more, as inventories write them: 45000, 45.000, 45,000 or 45 000 (groups
 * of three). Decimals, negative numbers and words are refused.
 */
export function readCount(text: string): Read<number> {
  const t = text.trim();
  if (!/^(\d+|\d{1,3}([.,\s\u00a0']\d{3})+)$/.test(t)) return fail(`"${text}" is not a whole number`);
  const value = Number(t.replace(/[.,\s\u00a0']/g, ''));
  return value > 2_147_483_647 ? fail(`${text} is too large`) : ok(value);
}

const TRUE = new Set(['yes', 'y', 'true', '1', 'ja', 'j', 'x']);
const FALSE = new Set(['no', 'n', 'false', '0', 'nee']);

export function readBoolean(text: string): Read<boolean> {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return fail(`"${text}" is not yes or no`);
}

/** A calendar date as YYYY-MM-DD (or DD-MM-YYYY, as Dutch spreadsheets write it). */
export function readDate(text: string): Read<string> {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const dutch = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(t);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : dutch
      ? [dutch[3], dutch[2].padStart(2, '0'), dutch[1].padStart(2, '0')]
      : [];
  if (!y) return fail(`"${text}" is not a date (YYYY-MM-DD)`);
  const date = `${y}-${m}-${d}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date
    ? fail(`"${text}" is not a date (YYYY-MM-DD)`)
    : ok(date);
}

/** A list in one cell: items separated by semicolons or line breaks (commas stay inside items). */
export function readList(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
