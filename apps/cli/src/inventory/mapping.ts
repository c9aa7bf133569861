import { Field, FIELD_NAMES, fieldOfHeader } from './fields';

/**
 * A column mapping file (JSON) lets an inventory with another layout be imported as it is:
 *   {
 *     "sheet": "Knelpunten",                        optional: the worksheet of an .xlsx file
 *     "columns": { "Titel": "title", ... },         header in the file -> field
 *     "values": { "severity": { "Hoog": "HIGH" } }, optional: a field's values in the file -> codes
 *     "defaults": { "status": "REPORTED" }          optional: a field's value where the file has none
 *   }
 * Headers are matched without regard to case or surrounding spaces. Columns the mapping does not name
 * are still recognised by their field name.
 */
export interface Mapping {
  sheet: string | null;
  columns: Map<string, Field>;
  values: Map<Field, Map<string, string>>;
  defaults: Map<Field, string>;
}

export const NO_MAPPING: Mapping = {
  sheet: null,
  columns: new Map(),
  values: new Map(),
  defaults: new Map(),
};

export class MappingError extends Error {}

const headerKey = (header: string): string => header.trim().toLowerCase();

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function field(name: unknown, where: string): Field {
  if (typeof name === 'string' && (FIELD_NAMES as string[]).includes(name)) return name as Field;
  throw new MappingError(`${where}: "${String(name)}" is not a field; use one of ${FIELD_NAMES.join(', ')}`);
}

function strings(value: unknown, where: string): Array<[string, string]> {
  if (!isRecord(value)) throw new MappingError(`${where} must be an object of texts`);
  return Object.entries(value).map(([k, v]) => {
    if (typeof v !== 'string') throw new MappingError(`${where}.${k} must be a text`);
    return [k, v];
  });
}

export function parseMapping(json: unknown): Mapping {
  if (!isRecord(json)) throw new MappingError('the mapping must be a JSON object');
  const known = new Set(['sheet', 'columns', 'values', 'defaults', 'description']);
  for (const key of Object.keys(json))
    if (!known.has(key)) throw new MappingError(`unknown key "${key}"; use ${[...known].join(', ')}`);
  if (json.sheet !== undefined && typeof json.sheet !== 'string')
    throw new MappingError('sheet must be the name of a worksheet');
  const columns = new Map<string, Field>();
  for (const [header, name] of strings(json.columns ?? {}, 'columns')) {
    columns.set(headerKey(header), field(name, `columns."${header}"`));
  }
  const values = new Map<Field, Map<string, string>>();
  if (json.values !== undefined) {
    if (!isRecord(json.values)) throw new MappingError('values must be an object per field');
    for (const [name, table] of Object.entries(json.values)) {
      const f = field(name, 'values');
      values.set(f, new Map(strings(table, `values.${name}`).map(([k, v]) => [headerKey(k), v])));
    }
  }
  const defaults = new Map<Field, string>();
  for (const [name, value] of strings(json.defaults ?? {}, 'defaults'))
    defaults.set(field(name, 'defaults'), value);
  return { sheet: typeof json.sheet === 'string' ? json.sheet : null, columns, values, defaults };
}

/** The field a header stands for: the mapping's choice, else the header read as a field name. */
export function fieldFor(mapping: Mapping, header: string): Field | null {
  return mapping.columns.get(headerKey(header)) ?? fieldOfHeader(header);
}

/** A cell's value after the mapping's value table (matched without regard to case). */
export function mapValue(mapping: Mapping, f: Field, text: string): string {
  return mapping.values.get(f)?.get(headerKey(text)) ?? text;
}
