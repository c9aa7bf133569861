/**
 * Baseline B: a bare @apollo/server (startStandaloneServer) with `pg`, answering the bench's lookup
 * query `blocker(key)` with the same fields as Knooppunt: one SQL statement per request, no framework,
 * no ORM, no DataLoaders. Like Knooppunt it verifies the bearer token (HS256) and hides confidential
 * blockers from viewers that are not ADMIN or STEERING. Environment: PORT, DATABASE_URL, DB_POOL_SIZE,
 * AUTH_JWT_SECRET.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createSecretKey } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { Pool } from 'pg';
import { toGlobalId } from '@app/core/global-id';

const typeDefs = `#graphql
  type Blocker {
    id: ID!
    key: String!
    title: String!
    status: String!
    severity: String!
    confidential: Boolean!
    createdAt: String!
  }
  type Query {
    blocker(key: String!): Blocker
  }
`;

interface Context {
  seesAll: boolean;
}

interface BlockerRow {
  id: string;
  number: number;
  title: string;
  status: string;
  severity: string;
  confidential: boolean;
  created_at: Date;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const secret = process.env.AUTH_JWT_SECRET;
  if (!url || !secret) throw new Error('DATABASE_URL and AUTH_JWT_SECRET are required');
  // Made once, as Knooppunt does: a string secret costs jsonwebtoken a failed public-key parse per call.
  const secretKey = createSecretKey(Buffer.from(secret, 'utf8'));
  const pool = new Pool({
    connectionString: url,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    application_name: 'knooppunt-bench-apollo',
  });
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers: {
      Query: {
        blocker: async (_parent: unknown, { key }: { key: string }, context: Context) => {
          const match = /^KNP-([1-9]\d{0,8})$/i.exec(key.trim());
          if (!match) return null;
          const { rows } = await pool.query<BlockerRow>(
            `SELECT id, number, title, status, severity, confidential, created_at FROM blocker
             WHERE number = $1 AND ($2::boolean OR NOT confidential)`,
            [Number(match[1]), context.seesAll],
          );
          const b = rows[0];
          if (!b) return null;
          return {
            id: toGlobalId('Blocker', b.id),
            key: `KNP-${b.number}`,
            title: b.title,
            status: b.status,
            severity: b.severity,
            confidential: b.confidential,
            createdAt: b.created_at.toISOString(),
          };
        },
      },
    },
    introspection: false,
  });
  await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' },
    context: async ({ req }) => {
      const claims = jwt.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''), secretKey, {
        algorithms: ['HS256'],
      }) as { roles?: string[] };
      return { seesAll: (claims.roles ?? []).some((r) => r === 'ADMIN' || r === 'STEERING') };
    },
  });
  const stop = (): void => {
    void server.stop().then(() => pool.end());
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
