import { BadUserInputError } from './errors';
import {
  Cursor,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  emptyPage,
  encodeCursor,
  MAX_PAGE_SIZE,
  Page,
  pageSize,
  toPage,
} from './pagination';

const SIG = 'blockers:priority:DESC';

const badFields = (fn: () => unknown): Array<{ field: string; message: string }> => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).code).toBe('BAD_USER_INPUT');
    return (error as BadUserInputError).fields;
  }
  throw new Error('expected a BadUserInputError');
};

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

describe('pagination', () => {
  describe('pageSize', () => {
    it('defaults to 50 when first is absent', () => {
      expect(DEFAULT_PAGE_SIZE).toBe(50);
      expect(pageSize(undefined)).toBe(50);
      expect(pageSize(null)).toBe(50);
    });

    it.each([1, 2, 50, 99, 100])('accepts %d', (first) => {
      expect(pageSize(first)).toBe(first);
    });

    it.each([0, -1, 101, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
      'rejects %d on the field first',
      (first) => {
        expect(MAX_PAGE_SIZE).toBe(100);
        expect(badFields(() => pageSize(first))).toEqual([
          { field: 'first', message: 'must be between 1 and 100' },
        ]);
      },
    );

    it('names the field it is given', () => {
      expect(badFields(() => pageSize(0, 'input.limit'))).toEqual([
        { field: 'input.limit', message: 'must be between 1 and 100' },
      ]);
    });
  });

  describe('cursors', () => {
    const cursor: Cursor = {
      k: '87.5',
      id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      asOf: '2025-03-10T12:00:00.000Z',
      sig: SIG,
    };

    it('round-trips through encode and decode', () => {
      expect(decodeCursor(encodeCursor(cursor), SIG)).toEqual(cursor);
    });

    it('round-trips a null sort key', () => {
      const nullKey: Cursor = { ...cursor, k: null };
      expect(decodeCursor(encodeCursor(nullKey), SIG)).toEqual(nullKey);
    });

    it('is opaque and URL-safe', () => {
      const encoded = encodeCursor(cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(encoded).not.toContain(cursor.id);
    });

    it('answers null when there is no cursor', () => {
      expect(decodeCursor(undefined, SIG)).toBeNull();
      expect(decodeCursor(null, SIG)).toBeNull();
    });

    it('accepts an unsigned cursor only for the empty signature', () => {
      const unsigned: Cursor = { k: 'x', id: 'a', asOf: cursor.asOf };
      expect(decodeCursor(encodeCursor(unsigned), '')).toEqual({ ...unsigned, sig: undefined });
      expect(badFields(() => decodeCursor(encodeCursor(unsigned), SIG))).toEqual([
        { field: 'after', message: 'not a cursor of this list and order' },
      ]);
    });

    it('drops unknown properties', () => {
      const decoded = decodeCursor(b64({ ...cursor, extra: 'x' }), SIG);
      expect(decoded).toEqual(cursor);
      expect(decoded).not.toHaveProperty('extra');
    });

    it('rejects a cursor of another list or order on the field after', () => {
      expect(badFields(() => decodeCursor(encodeCursor(cursor), 'blockers:priority:ASC'))).toEqual([
        { field: 'after', message: 'not a cursor of this list and order' },
      ]);
    });

    it('names the field it is given', () => {
      expect(badFields(() => decodeCursor(encodeCursor(cursor), 'other', 'input.after'))).toEqual([
        { field: 'input.after', message: 'not a cursor of this list and order' },
      ]);
    });

    it.each([
      ['an empty string', ''],
      ['garbage', 'garbage!'],
      ['base64 of non-JSON', b64('not json')],
      ['JSON null', b64('null')],
      ['a JSON number', b64('42')],
      ['a JSON array', b64([1, 2])],
      ['no id', b64({ k: 'x', asOf: cursor.asOf, sig: SIG })],
      ['a numeric id', b64({ k: 'x', id: 7, asOf: cursor.asOf, sig: SIG })],
      ['no asOf', b64({ k: 'x', id: 'a', sig: SIG })],
      ['an asOf that is not a date', b64({ k: 'x', id: 'a', asOf: 'yesterday', sig: SIG })],
      ['a numeric sort key', b64({ k: 5, id: 'a', asOf: cursor.asOf, sig: SIG })],
      ['a missing sort key', b64({ id: 'a', asOf: cursor.asOf, sig: SIG })],
    ])('rejects %s on the field after', (_label, after) => {
      expect(badFields(() => decodeCursor(after, SIG))).toEqual([
        { field: 'after', message: 'not a cursor of this list and order' },
      ]);
    });
  });

  describe('emptyPage', () => {
    it('has no nodes, no cursors, no further pages and a total of 0', async () => {
      const page = emptyPage<string>();
      expect(page.nodes).toEqual([]);
      expect(page.cursors).toEqual([]);
      expect(page.hasNextPage).toBe(false);
      expect(page.hasPreviousPage).toBe(false);
      await expect(page.totalCount()).resolves.toBe(0);
    });
  });

  describe('toPage', () => {
    it('maps the nodes and keeps cursors, flags and the total', async () => {
      const totalCount = jest.fn(async () => 7);
      const page: Page<number> = {
        nodes: [1, 2],
        cursors: ['a', 'b'],
        hasNextPage: true,
        hasPreviousPage: true,
        totalCount,
      };
      const mapped = toPage(page, (n) => `#${n}`);
      expect(mapped.nodes).toEqual(['#1', '#2']);
      expect(mapped.cursors).toEqual(['a', 'b']);
      expect(mapped.hasNextPage).toBe(true);
      expect(mapped.hasPreviousPage).toBe(true);
      await expect(mapped.totalCount()).resolves.toBe(7);
      expect(page.nodes).toEqual([1, 2]);
    });
  });
});
