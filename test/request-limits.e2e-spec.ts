/**
 * Request limits enforced before GraphQL runs, over raw HTTP: a body over HTTP_BODY_LIMIT is 413 and a
 * JSON array of operations (batching) is 400, both answered in the GraphQL error shape with
 * QUERY_TOO_COMPLEX and the measure, without anything of the server's internals, and without running
 * any operation.
 */
import { expectNoLeak } from './support/checks';
import { GraphQLResponse, TestServer, token } from './support/server';

const admin = token('ADMIN', { sub: 'limits-admin' });

describe('request limits over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ env: { NODE_ENV: 'production', HTTP_BODY_LIMIT: '4kb' } });
  });
  afterAll(async () => server?.stop());

  const post = async (body: string): Promise<{ status: number; json: GraphQLResponse }> => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body,
    });
    return { status: res.status, json: (await res.json()) as GraphQLResponse };
  };

  const providers = async (): Promise<number> =>
    (
      await server.ok<{ providers: { totalCount: number } }>(
        '{ providers(first: 1) { totalCount } }',
        {},
        admin,
      )
    ).providers.totalCount;

  it('accepts a body just under the limit', async () => {
    const query = `{ viewer { id } } # ${'x'.repeat(3500)}`;
    const { status, json } = await post(JSON.stringify({ query }));
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
  });

  it('refuses a body over HTTP_BODY_LIMIT with 413 and QUERY_TOO_COMPLEX (bodySize), running nothing', async () => {
    const before = await providers();
    const mutation = `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }`;
    const body = JSON.stringify({
      query: mutation,
      variables: {
        input: {
          name: 'Te groot',
          kind: 'MUNICIPALITY',
          oin: '00000001999999999000',
          abbreviation: 'x'.repeat(5000),
        },
      },
    });
    expect(body.length).toBeGreaterThan(4096);
    const { status, json } = await post(body);
    expect(status).toBe(413);
    expect(json).toEqual({
      errors: [
        {
          message: 'The request body is larger than the configured limit (HTTP_BODY_LIMIT)',
          extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'bodySize' },
        },
      ],
    });
    expectNoLeak(json);
    expect(await providers()).toBe(before);
  });

  it('refuses a batch of operations with 400 and QUERY_TOO_COMPLEX (batch), running none of them', async () => {
    const before = await providers();
    const register = (n: number) => ({
      query: `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }`,
      variables: { input: { name: `Batch ${n}`, kind: 'MUNICIPALITY', oin: `0000000199999999${9000 + n}` } },
    });
    const { status, json } = await post(JSON.stringify([register(1), register(2), register(3)]));
    expect(status).toBe(400);
    expect(json).toEqual({
      errors: [
        {
          message: 'Batched requests are not accepted: send one operation per request',
          extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'batch', batch: 3, limit: 1 },
        },
      ],
    });
    expect(await providers()).toBe(before);
  });

  it('refuses malformed JSON with 400 BAD_REQUEST, without a parser trace', async () => {
    const { status, json } = await post('{"query": "{ viewer { id } }"');
    expect(status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expectNoLeak(json);
  });
});
