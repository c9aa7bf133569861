/**
 * Request limits enforced before GraphQL runs, over raw HTTP: a body over HTTP_BODY_LIMIT is 413 and a
 * JSON array of operations (batching) is 400, both answered in the GraphQL error shape with
 * QUERY_TOO_COMPLEX and the measure, without anything of the server's internals, and without running
 * any operation.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
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

  describe('the GraphQL endpoint and Express', () => {
    const query = '{ viewer { id roles } providers(first: 2) { totalCount } }';
    const headers = { authorization: `Bearer ${admin}`, 'x-request-id': 'limits-request-1' };

    /** Send `body` in chunks without a Content-Length; the status and headers of the answer. */
    const streamed = (chunks: string[]): Promise<{ status: number; headers: Record<string, unknown> }> =>
      new Promise((resolve, reject) => {
        const url = new URL(`${server.url}/graphql`);
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: '/graphql',
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          },
        );
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });

    it('answer a POST the same whichever serves it: plain JSON, a compressed body, a GET', async () => {
      const plain = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      // A compressed body goes to Express, whose body parser inflates it.
      const gzipped = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ query })),
      });
      const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
        headers: { ...headers, 'apollo-require-preflight': 'true' },
      });
      const answers = [plain, gzipped, get];
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.headers.get('x-request-id')).toBe('limits-request-1');
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(res.headers.get('x-powered-by')).toBeNull();
      }
      const [a, b, c] = (await Promise.all(answers.map((res) => res.json()))) as GraphQLResponse[];
      expect(a.errors).toBeUndefined();
      expect(a.data?.viewer).toMatchObject({ id: expect.any(String), roles: ['ADMIN'] });
      expect(b.data).toEqual(a.data);
      expect(c.data).toEqual(a.data);
    });

    it('refuse a streamed body (no Content-Length) once it passes the limit, and go on serving', async () => {
      const over = await streamed([
        '{"query": "{ viewer { id } }", "pad": "',
        'x'.repeat(3000),
        'y'.repeat(3000),
        '"}',
      ]);
      expect(over.status).toBe(413);
      expect(over.headers['x-request-id']).toBe('limits-request-1');
      const under = await streamed(['{"query": ', '"{ viewer { id } }"}']);
      expect(under.status).toBe(200);
    });

    it('go on serving after a client that leaves halfway through its body', async () => {
      await new Promise<void>((resolve) => {
        const url = new URL(`${server.url}/graphql`);
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          path: '/graphql',
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'content-length': '2000' },
        });
        req.on('error', () => resolve());
        req.write('{"query": "{ viewer');
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
      const after = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(after.status).toBe(200);
      expect(((await after.json()) as GraphQLResponse).data?.viewer.roles).toEqual(['ADMIN']);
    });
  });
});
