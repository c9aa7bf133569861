/**
 * The API contract (shared/api/contract.graphql) against the schema the running server serves, and the
 * committed schema.gql against the same schema: a breaking change or a stale schema.gql fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  getIntrospectionQuery,
  GraphQLObjectType,
  GraphQLSchema,
  IntrospectionQuery,
} from 'graphql';
import { schemaText } from '../scripts/schema-text';
import { TestServer } from './support/server';

const ROOT = resolve(__dirname, '..');
const SHARED = process.env.SHARED_DIR ? resolve(process.env.SHARED_DIR) : resolve(ROOT, '..', 'shared');
const CONTRACT = resolve(SHARED, 'api', 'contract.graphql');
const SCHEMA_FILE = resolve(ROOT, 'schema.gql');

describe('GraphQL contract', () => {
  let server: TestServer;
  let served: GraphQLSchema;

  beforeAll(async () => {
    server = await TestServer.start();
    // No token: introspection is open outside production (NODE_ENV=test here).
    const res = await server.gql<IntrospectionQuery>(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    expect(res.errors).toBeUndefined();
    served = buildClientSchema(res.data!);
  });
  afterAll(async () => server?.stop());

  it('has no breaking change against shared/api/contract.graphql', () => {
    expect(existsSync(CONTRACT)).toBe(true);
    const contract = buildSchema(readFileSync(CONTRACT, 'utf8'));
    const breaking = findBreakingChanges(contract, served).map((c) => `${c.type}: ${c.description}`);
    expect(breaking).toEqual([]);
  });

  it('serves every root field of the contract (also as a readable list when something is missing)', () => {
    const contract = buildSchema(readFileSync(CONTRACT, 'utf8'));
    const fields = (type: GraphQLObjectType | null | undefined): string[] =>
      Object.keys(type?.getFields() ?? {});
    const missing = (root: 'getQueryType' | 'getMutationType' | 'getSubscriptionType'): string[] =>
      fields(contract[root]()).filter((f) => !fields(served[root]()).includes(f));
    expect(missing('getQueryType')).toEqual([]);
    expect(missing('getMutationType')).toEqual([]);
    expect(missing('getSubscriptionType')).toEqual([]);
  });

  it('matches the committed schema.gql (run `npm run schema` after changing the API)', () => {
    expect(existsSync(SCHEMA_FILE)).toBe(true);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    // Compare line by line so that a failure shows the difference rather than two 20 kB strings.
    expect(committed.split('\n')).toEqual(schemaText(served).split('\n'));
  });

  it('is a schema that validates: the committed file parses to the same types', () => {
    const committed = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    expect(Object.keys(committed.getTypeMap()).sort()).toEqual(Object.keys(served.getTypeMap()).sort());
  });
});
