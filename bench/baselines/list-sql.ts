/**
 * Baseline A: the data of the bench's list query (the first 50 open blockers by priority, with their
 * reporting provider, owner and first five affected needs with requester and supplier) fetched by ONE
 * hand-written SQL statement through `pg`, shaped like the GraphQL answer.
 *
 * Two uses:
 *  - `timeInProcess` runs it N times in a row in the calling process (no HTTP);
 *  - run as a program it is a tiny node:http server (PORT, DATABASE_URL, DB_POOL_SIZE, AUTH_JWT_SECRET)
 *    that answers every POST with that JSON: it reads and parses the body and verifies the bearer
 *    token, as any server must, but has no GraphQL, no framework and no ORM. The bench compares
 *    Knooppunt with this server, both over HTTP with autocannon.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import * as jwt from 'jsonwebtoken';
import { Pool } from 'pg';
import { OPEN_STATUSES } from '@app/blockers/domain/workflow';
import { toGlobalId } from '@app/core/global-id';

export const LIST_SQL = `
SELECT b.id, b.number, b.title, b.status, b.severity, b.priority_score,
       rp.id AS rp_id, rp.name AS rp_name, o.id AS owner_id, o.name AS owner_name,
       (SELECT count(*) FROM blocker_need c WHERE c.blocker_id = b.id)::int AS need_total,
       COALESCE(an.needs, '[]'::json) AS needs
FROM blocker b
JOIN provider rp ON rp.id = b.reporting_provider_id
LEFT JOIN provider o ON o.id = b.owner_id
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', n.id, 'purpose', n.purpose, 'rid', r.id, 'rname', r.name,
                                    'sid', s.id, 'sname', s.name) ORDER BY n.created_at, n.id) AS needs
  FROM (SELECT n.id, n.purpose, n.requester_id, n.supplier_id, n.created_at
        FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id
        WHERE bn.blocker_id = b.id ORDER BY n.created_at, n.id LIMIT 5) n
  JOIN provider r ON r.id = n.requester_id JOIN provider s ON s.id = n.supplier_id
) an ON TRUE
WHERE b.status = ANY($1::blocker_status[]) AND ($2::boolean OR NOT b.confidential)
ORDER BY b.priority_score DESC, b.id DESC
LIMIT $3`;

interface Row {
  id: string;
  number: number;
  title: string;
  status: string;
  severity: string;
  priority_score: number;
  rp_id: string;
  rp_name: string;
  owner_id: string | null;
  owner_name: string | null;
  need_total: number;
  needs: Array<{ id: string; purpose: string; rid: string; rname: string; sid: string; sname: string }>;
}

/** One execution: the GraphQL-shaped answer for the first `first` blockers. */
export async function fetchList(pool: Pool, first: number, seesConfidential: boolean): Promise<unknown> {
  const { rows } = await pool.query<Row>(LIST_SQL, [OPEN_STATUSES, seesConfidential, first + 1]);
  const shown = rows.slice(0, first);
  const last = shown[shown.length - 1];
  const provider = (id: string, name: string) => ({ id: toGlobalId('Provider', id), name });
  return {
    data: {
      blockers: {
        pageInfo: {
          hasNextPage: rows.length > first,
          endCursor: last
            ? Buffer.from(JSON.stringify({ k: last.priority_score, id: last.id })).toString('base64url')
            : null,
        },
        nodes: shown.map((b) => ({
          id: toGlobalId('Blocker', b.id),
          key: `KNP-${b.number}`,
          title: b.title,
          status: b.status,
          severity: b.severity,
          priority: { score: b.priority_score },
          reportingProvider: provider(b.rp_id, b.rp_name),
          owner: b.owner_id && b.owner_name ? provider(b.owner_id, b.owner_name) : null,
          affectedNeeds: {
            totalCount: b.need_total,
            nodes: b.needs.map((n) => ({
              id: toGlobalId('DataNeed', n.id),
              purpose: n.purpose,
              requester: provider(n.rid, n.rname),
              supplier: provider(n.sid, n.sname),
            })),
          },
        })),
      },
    },
  };
}

export interface InProcessTiming {
  iterations: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Run the statement (and the shaping) `iterations` times in a row, or until `maxSeconds` have passed. */
export async function timeInProcess(
  databaseUrl: string,
  iterations: number,
  maxSeconds: number,
): Promise<InProcessTiming> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'knooppunt-bench-sql' });
  try {
    await fetchList(pool, 50, true); // warm up: connect, plan
    const times: number[] = [];
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(maxSeconds * 1e9));
    while (times.length < iterations && process.hrtime.bigint() < deadline) {
      const t0 = process.hrtime.bigint();
      JSON.stringify(await fetchList(pool, 50, true));
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      iterations: times.length,
      seconds: round(seconds),
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      p99Ms: round(percentile(times, 99)),
    };
  } finally {
    await pool.end();
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function serve(): void {
  const url = process.env.DATABASE_URL;
  const secret = process.env.AUTH_JWT_SECRET;
  if (!url || !secret) throw new Error('DATABASE_URL and AUTH_JWT_SECRET are required');
  // Made once, as Knooppunt does: a string secret costs jsonwebtoken a failed public-key parse per call.
  const secretKey = createSecretKey(Buffer.from(secret, 'utf8'));
  const pool = new Pool({
    connectionString: url,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    application_name: 'knooppunt-bench-sql',
  });
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health/ready') return reply(200, { status: 'ok' });
    readBody(req)
      .then(async (text) => {
        const body = JSON.parse(text) as { variables?: { first?: number } };
        const claims = jwt.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''), secretKey, {
          algorithms: ['HS256'],
        }) as { roles?: string[] };
        const seesAll = (claims.roles ?? []).some((r) => r === 'ADMIN' || r === 'STEERING');
        reply(200, await fetchList(pool, body.variables?.first ?? 50, seesAll));
      })
      .catch((error: unknown) =>
        reply(400, { errors: [{ message: error instanceof Error ? error.message : String(error) }] }),
      );
  });
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const stop = (): void => {
    server.close();
    void pool.end();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) serve();
