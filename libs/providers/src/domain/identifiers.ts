/**
 * Dutch government identifiers.
 * OIN: 20 characters: an 8-digit prefix (00000001 RSIN, 00000003 KvK, 00000004 sub-OIN, ...), a main
 * number of 8 or 9 characters that may hold letters, and a numeric suffix. The prefix is not checked
 * against a list: a real OIN must never be refused for its prefix.
 */
export const OIN_PATTERN = /^\d{8}[0-9A-Za-z]{9}\d{3}$/;

/** TOOI URI of the register of government organisations, e.g. https://identifier.overheid.nl/tooi/id/zbo/zb000117 */
export const TOOI_PATTERN = /^https:\/\/identifier\.overheid\.nl\/tooi\/id\/[a-z_]+\/[a-z0-9_]+$/;

export const isValidOin = (value: string): boolean => OIN_PATTERN.test(value);
export const isValidTooiUri = (value: string): boolean => TOOI_PATTERN.test(value);
