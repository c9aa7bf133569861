import { BadUserInputError } from './errors';
import { fromGlobalId, parseGlobalId, toGlobalId } from './global-id';

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** base64url of a raw string, to build IDs the encoder would never produce. */
const raw = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const fieldsOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    const bad = error as BadUserInputError;
    expect(bad.code).toBe('BAD_USER_INPUT');
    return bad.fields;
  }
  throw new Error('expected a BadUserInputError');
};

describe('global IDs', () => {
  describe('toGlobalId', () => {
    it('is base64url of "Type:id", without padding or URL-unsafe characters', () => {
      const id = toGlobalId('Blocker', UUID);
      expect(Buffer.from(id, 'base64url').toString('utf8')).toBe(`Blocker:${UUID}`);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it('accepts numeric ids', () => {
      expect(Buffer.from(toGlobalId('AuditEvent', 42), 'base64url').toString('utf8')).toBe('AuditEvent:42');
    });

    it('gives different IDs for the same local id of different types', () => {
      expect(toGlobalId('Blocker', UUID)).not.toBe(toGlobalId('Provider', UUID));
    });
  });

  describe('parseGlobalId', () => {
    it.each([
      ['Blocker', UUID],
      ['Provider', UUID],
      ['AuditEvent', '1'],
      ['AuditEvent', '123456789012345678'],
    ])('round-trips %s %s', (type, id) => {
      expect(parseGlobalId(toGlobalId(type, id))).toEqual({ type, id });
    });

    it('round-trips a number', () => {
      expect(parseGlobalId(toGlobalId('AuditEvent', 987))).toEqual({ type: 'AuditEvent', id: '987' });
    });

    it.each([
      ['an empty string', ''],
      ['characters outside base64url', 'Qmxv+2tlcjox'],
      ['padding', `${raw('AuditEvent:1')}==`],
      ['no separator', raw(`Blocker${UUID}`)],
      ['an empty type', raw(`:${UUID}`)],
      ['an empty id', raw('Blocker:')],
      ['an id that is neither a UUID nor a positive integer', raw('Blocker:abc')],
      ['an upper-case UUID', raw(`Blocker:${UUID.toUpperCase()}`)],
      ['a UUID with trailing text', raw(`Blocker:${UUID}x`)],
      ['a zero id', raw('AuditEvent:0')],
      ['a leading zero', raw('AuditEvent:07')],
      ['a negative id', raw('AuditEvent:-1')],
      ['an integer of 19 digits', raw('AuditEvent:1234567890123456789')],
      ['SQL in the id', raw("Blocker:1' OR '1'='1")],
      ['a string of more than 200 characters', 'A'.repeat(201)],
    ])('rejects %s', (_label, id) => {
      expect(parseGlobalId(id)).toBeNull();
    });

    it('rejects a value that is not a string', () => {
      expect(parseGlobalId(42 as unknown as string)).toBeNull();
      expect(parseGlobalId(null as unknown as string)).toBeNull();
    });

    it('splits at the first colon', () => {
      expect(parseGlobalId(raw(`Blocker:x:${UUID}`))).toBeNull();
    });
  });

  describe('fromGlobalId', () => {
    it('returns the local id of an ID of the expected type', () => {
      expect(fromGlobalId(toGlobalId('Blocker', UUID), 'Blocker', 'id')).toBe(UUID);
    });

    it('accepts any of several expected types', () => {
      expect(fromGlobalId(toGlobalId('Dataset', UUID), ['Provider', 'Dataset'], 'input.nodeId')).toBe(UUID);
    });

    it('rejects an ID of another type with BAD_USER_INPUT naming the field', () => {
      expect(
        fieldsOf(() => fromGlobalId(toGlobalId('Provider', UUID), 'Blocker', 'input.blockerId')),
      ).toEqual([{ field: 'input.blockerId', message: 'not a valid Blocker ID' }]);
    });

    it('names every expected type in the message', () => {
      expect(fieldsOf(() => fromGlobalId(toGlobalId('Need', UUID), ['Provider', 'Dataset'], 'id'))).toEqual([
        { field: 'id', message: 'not a valid Provider or Dataset ID' },
      ]);
    });

    it('rejects garbage with BAD_USER_INPUT naming the field', () => {
      expect(fieldsOf(() => fromGlobalId('not an id!', 'Blocker', 'input.duplicateOfId'))).toEqual([
        { field: 'input.duplicateOfId', message: 'not a valid Blocker ID' },
      ]);
    });

    it('does not accept a type that is only a prefix of the expected one', () => {
      expect(() => fromGlobalId(toGlobalId('Block', UUID), 'Blocker', 'id')).toThrow(BadUserInputError);
    });
  });
});
