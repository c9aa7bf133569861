import { EntityManager, ObjectLiteral } from 'typeorm';

type EntityClass<E> = new () => E;

const selectLists = new WeakMap<object, Map<string, string>>();

/**
 * The select list of an entity's selectable columns, each under its property name
 * (`b."reporting_provider_id" AS "reportingProviderId"`), for reads by hand-written SQL on hot paths:
 * for a handful of rows TypeORM's query builder and hydration cost more than the statement. Values
 * arrive as TypeORM gives them (a `date` column as 'YYYY-MM-DD' text; bigint as text, as pg gives it).
 */
export function entityColumns<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityClass<E>,
  alias: string,
): string {
  let byAlias = selectLists.get(entity);
  if (!byAlias) selectLists.set(entity, (byAlias = new Map<string, string>()));
  let list = byAlias.get(alias);
  if (list === undefined) {
    list = manager.connection
      .getMetadata(entity)
      .columns.filter((c) => c.isSelect && !c.isVirtual && c.embeddedMetadata === undefined)
      .map((c) => {
        const value = `${alias}."${c.databaseName}"${c.type === 'date' ? '::text' : ''}`;
        return `${value} AS "${c.propertyName}"`;
      })
      .join(', ');
    byAlias.set(alias, list);
  }
  return list;
}

/** A row read with `entityColumns` as an instance of the entity class. */
export function toEntity<E extends ObjectLiteral>(entity: EntityClass<E>, row: Record<string, unknown>): E {
  return Object.assign(new entity(), row);
}

/**
 * A data-modifying statement to run as a `WITH` query of another statement (one round trip for two
 * writes), its parameters numbered from `firstParam` (the host statement's own come first).
 */
export type AlongsideStatement = (firstParam: number) => { sql: string; params: unknown[] };
