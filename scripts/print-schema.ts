/**
 * Writes `schema.gql` at the repository root: the GraphQL schema the server generates (code first),
 * printed sorted, for review in pull requests and for clients. test/contract.e2e-spec.ts fails when the
 * committed file differs from what the running server serves.
 *   npm run schema            writes schema.gql
 *   npm run schema -- --check exits 1 when schema.gql is stale (CI)
 *
 * The schema is built by the real AppModule in Nest's preview mode: only the GraphQL module (which Nest
 * lists for initialisation on preview) is instantiated, so no database, embedded PostgreSQL or HTTP
 * server is started, and the schema comes from exactly the resolvers and options the server uses.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AppModule } from '../apps/api/src/app.module';
import { schemaText } from './schema-text';

const SCHEMA_FILE = resolve(__dirname, '..', 'schema.gql');

async function main(): Promise<void> {
  // Values the configuration validation needs; nothing connects anywhere in preview mode.
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: 'postgres://schema@127.0.0.1/schema',
    DEMO_DATA: 'false',
  };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env), {
    preview: true,
    logger: ['error'],
    abortOnError: false,
  });
  const text = schemaText(app.get(GraphQLSchemaHost).schema);
  await app.close();

  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== text) {
      process.stderr.write('schema.gql is out of date; run npm run schema\n');
      process.exit(1);
    }
    process.stdout.write('schema.gql is up to date\n');
    return;
  }
  writeFileSync(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
