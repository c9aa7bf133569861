import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * One page of a list, shaped for a Relay connection. `totalCount` is computed only when asked for;
 * `cursors` may be a getter that encodes them on first use (a list whose cursors no client selects,
 * such as the needs of every blocker of a page, never encodes them).
 */
export interface Page<T> {
  nodes: T[];
  readonly cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The count, or its promise; a count already known is answered without one. */
  totalCount: () => number | Promise<number>;
}

/**
 * A cursor holds the sort key and id of the last row seen, and the moment the first page was read
 * (`asOf`): time-dependent orders and filters (days open, stale) use it so that every page of one
 * walk sees the same picture.
 */
export interface Cursor {
  k: string | null;
  id: string;
  asOf: string;
  sig?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** What a sort key of each SQL type looks like as PostgreSQL prints it; anything else is a forged cursor. */
const KEY_SHAPES: Record<string, RegExp> = {
  float8: /^-?(\d+(\.\d+)?(e[+-]?\d+)?|Infinity|NaN)$/i,
  int: /^-?\d{1,10}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d)?$/,
  interval: /^[-+\d :.a-z]{1,80}$/i,
  text: /^[\s\S]{0,1000}$/,
  uuid: UUID,
  bigint: /^\d{1,19}$/,
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Keys of the right shape that PostgreSQL still refuses to cast: out of the type's range, or a date
 * that does not exist (30 February). A forged cursor must be bad input, not an SQL error.
 */
const KEY_VALUES: Record<string, (key: string) => boolean> = {
  // strtod's range: overflow to infinity, or underflow of a non-zero number to zero.
  float8: (key) =>
    /^-?(Infinity|NaN)$/i.test(key) ||
    (Number.isFinite(Number(key)) && (Number(key) !== 0 || !/[1-9]/.test(key.split(/e/i)[0]))),
  int: (key) => Number(key) >= -(2 ** 31) && Number(key) <= 2 ** 31 - 1,
  bigint: (key) => BigInt(key) <= 2n ** 63n - 1n,
  timestamptz: (key) => {
    const [year, month, day] = key.slice(0, 10).split('-').map(Number);
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  },
  // PostgreSQL text cannot hold NUL.
  text: (key) => !key.includes('\u0000'),
};

const isKeyOf = (type: string, key: string): boolean => {
  const known = Object.hasOwn(KEY_SHAPES, type) ? type : 'text';
  return KEY_SHAPES[known].test(key) && (KEY_VALUES[known]?.(key) ?? true);
};

export function pageSize(first: number | null | undefined, field = 'first'): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw BadUserInputError.field(field, `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(
  after: string | null | undefined,
  signature: string,
  field = 'after',
): Cursor | null {
  if (after === undefined || after === null) return null;
  try {
    const parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof parsed.id === 'string' &&
      parsed.id.length <= 40 &&
      typeof parsed.asOf === 'string' &&
      ISO_INSTANT.test(parsed.asOf) &&
      !Number.isNaN(Date.parse(parsed.asOf)) &&
      (parsed.k === null || typeof parsed.k === 'string') &&
      (parsed.sig ?? '') === signature
    ) {
      return { k: parsed.k, id: parsed.id, asOf: parsed.asOf, sig: parsed.sig };
    }
  } catch {
    // fall through to the error below
  }
  throw BadUserInputError.field(field, 'not a cursor of this list and order');
}

/**
 * A cursor whose sort key (of SQL type `keyType`; null for an order by id alone) and id (of `idType`)
 * PostgreSQL will accept, or BAD_USER_INPUT: a forged cursor must never reach the database as an error.
 */
export function decodeTypedCursor(
  after: string | null | undefined,
  signature: string,
  keyType: string | null,
  idType: 'uuid' | 'bigint' = 'uuid',
  field = 'after',
): Cursor | null {
  const cursor = decodeCursor(after, signature, field);
  if (
    cursor &&
    (!isKeyOf(idType, cursor.id) || (keyType !== null && (cursor.k === null || !isKeyOf(keyType, cursor.k))))
  ) {
    throw BadUserInputError.field(field, 'not a cursor of this list and order');
  }
  return cursor;
}

export interface KeysetOrder {
  /** SQL expression of the sort key; may use :asOf for the walk's reference time. */
  expr: string | null;
  /** SQL type to cast the cursor's key back to, e.g. 'float8', 'timestamptz', 'int'. */
  type: string;
  direction: 'ASC' | 'DESC';
  /** SQL type of the id column: uuid (default) or bigint. */
  idType?: 'uuid' | 'bigint';
  /** Distinguishes cursors of different orders so one cannot be replayed against another. */
  name: string;
}

/**
 * Keyset pagination over a query builder whose main alias has an `id` column. Rows are ordered by
 * (key, id) in one direction; the next page starts strictly after the last (key, id) seen, so rows
 * added while a client pages never cause repeats or skips of rows that were there at the start.
 * Sort keys must be NOT NULL expressions (use COALESCE).
 */
export async function keysetPage<E extends ObjectLiteral, T>(
  qb: SelectQueryBuilder<E>,
  args: PageArgs,
  order: KeysetOrder,
  map: (entity: E) => T,
  now: Date = new Date(),
): Promise<Page<T>> {
  const limit = pageSize(args.first);
  const idType = order.idType ?? 'uuid';
  const cursor = decodeTypedCursor(args.after, order.name, order.expr ? order.type : null, idType);
  const asOf = cursor?.asOf ?? now.toISOString();
  const alias = qb.alias;
  const idExpr = `${alias}.id`;
  const keyExpr = order.expr ?? idExpr;
  const cmp = order.direction === 'ASC' ? '>' : '<';
  qb.setParameter('asOf', asOf);
  const countQb = qb.clone();
  if (cursor) {
    if (order.expr) {
      qb.andWhere(
        `(${keyExpr}, ${idExpr}) ${cmp} (CAST(:cursorKey AS ${order.type}), CAST(:cursorId AS ${idType}))`,
        {
          cursorKey: cursor.k,
          cursorId: cursor.id,
        },
      );
    } else {
      qb.andWhere(`${idExpr} ${cmp} CAST(:cursorId AS ${idType})`, { cursorId: cursor.id });
    }
  }
  if (order.expr && order.type === 'float8') {
    // Sorted by the selected column itself, so that a costly key (a search rank) is computed once per
    // row. A float8 arrives as a JS number, whose shortest text reads back as the same float8.
    qb.addSelect(keyExpr, 'page_sort_key').orderBy('page_sort_key', order.direction);
  } else {
    qb.addSelect(`(${keyExpr})::text`, 'page_sort_key').orderBy(keyExpr, order.direction);
  }
  qb.addOrderBy(idExpr, order.direction).limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ page_sort_key: string | number | null }>();
  const hasNextPage = entities.length > limit;
  const rows = entities.slice(0, limit);
  const cursors = rows.map((entity, i) => {
    const key = raw[i]?.page_sort_key;
    return encodeCursor({
      k: key == null ? null : String(key),
      id: String(entity.id),
      asOf,
      sig: order.name,
    });
  });
  let total: Promise<number> | undefined;
  return {
    nodes: rows.map(map),
    cursors,
    hasNextPage,
    hasPreviousPage: cursor !== null,
    totalCount: () => (total ??= countQb.orderBy().getCount()),
  };
}

export function emptyPage<T>(): Page<T> {
  return { nodes: [], cursors: [], hasNextPage: false, hasPreviousPage: false, totalCount: async () => 0 };
}

/** The same page with its nodes mapped, e.g. from entities to GraphQL objects (cursors still lazy). */
export function toPage<A, B>(page: Page<A>, map: (node: A) => B): Page<B> {
  return {
    nodes: page.nodes.map(map),
    get cursors() {
      return page.cursors;
    },
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    totalCount: page.totalCount,
  };
}
