import { BadUserInputError } from './errors';

/** Opaque global IDs: base64url("Type:localId"). Clients never parse them; node(id) resolves them. */
export const toGlobalId = (type: string, id: string | number): string =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

export interface DecodedId {
  type: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BIGINT = /^[1-9][0-9]{0,17}$/;

export function parseGlobalId(globalId: string): DecodedId | null {
  if (typeof globalId !== 'string' || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId))
    return null;
  const raw = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = raw.indexOf(':');
  if (sep <= 0) return null;
  const type = raw.slice(0, sep);
  const id = raw.slice(sep + 1);
  if (!UUID.test(id) && !BIGINT.test(id)) return null;
  return { type, id };
}

/**
 * Decode an ID of an expected type, or fail with BAD_USER_INPUT naming the field.
 * An ID of another type is bad input as well: it can never name the expected entity.
 */
export function fromGlobalId(globalId: string, type: string | readonly string[], field: string): string {
  const decoded = parseGlobalId(globalId);
  const types = typeof type === 'string' ? [type] : type;
  if (!decoded || !types.includes(decoded.type)) {
    throw BadUserInputError.field(field, `not a valid ${types.join(' or ')} ID`);
  }
  return decoded.id;
}
