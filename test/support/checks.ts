/**
 * Assertions shared by the e2e files on providers, datasets and needs: what an error names, what the
 * audit trail holds, and that a refused mutation leaves the database exactly as it was.
 */
import { codeOf, GraphQLResponse, TestServer } from './server';

/** Tests may look behind the opaque ID to reach the database row; clients never do. */
export const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/** A well-formed global ID of any type, e.g. for an entity that does not exist. */
export const globalId = (type: string, id: string): string =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';

/** The offending fields a BAD_USER_INPUT or CONFLICT names (`extensions.fields[].field`). */
export const fieldsOf = (res: GraphQLResponse): string[] =>
  (res.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field);

export interface AuditRow {
  action: string;
  entity_type: string;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  /** JWT subject of the actor. */
  subject: string | null;
}

export async function auditCount(server: TestServer): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
  return rows[0].n;
}

/** The audit events about one entity, oldest first. */
export async function auditOf(server: TestServer, entityGlobalId: string): Promise<AuditRow[]> {
  const { rows } = await server.db.query<AuditRow>(
    `SELECT e.action, e.entity_type, e.changes, u.subject
       FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_id
      WHERE e.entity_id = $1 ORDER BY e.id`,
    [localId(entityGlobalId)],
  );
  return rows;
}

/** Anything that would tell a client about the database or the code behind the API. */
export const LEAK =
  /stacktrace|\bat .+\.(js|ts):\d+|SELECT|INSERT|UPDATE |DELETE |constraint|violates|relation "|QueryFailed|typeorm|node_modules/i;

/** The response carries no stack trace, SQL, or wrapped original error. */
export function expectNoLeak(res: GraphQLResponse): void {
  const text = JSON.stringify(res);
  expect(text).not.toMatch(LEAK);
  for (const error of res.errors ?? []) {
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}).not.toHaveProperty('exception');
    expect(error.extensions ?? {}).not.toHaveProperty('originalError');
  }
}

const TABLES = ['provider', 'dataset', 'data_need', 'blocker', 'blocker_need', 'audit_event'];

/** Row count and a hash of every row of the tables these mutations touch. */
export async function snapshot(server: TestServer): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await server.db.query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h
         FROM ${table} t`,
    );
    out[table] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

/**
 * Run a mutation that must be refused with `code` (naming `field` when given), and prove that it
 * changed no row and wrote no audit event.
 */
export async function expectRefused(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  bearer: string,
  code: string,
  field?: string,
): Promise<GraphQLResponse> {
  const before = await snapshot(server);
  const res = await server.gql(query, variables, bearer);
  expect({ code: codeOf(res), data: res.data }).toEqual({ code, data: null });
  if (field) expect(fieldsOf(res)).toContain(field);
  expect(await snapshot(server)).toEqual(before);
  return res;
}
