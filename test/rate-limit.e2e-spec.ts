/**
 * Rate limits: requests per minute per user and per client address, refused with RATE_LIMITED, a
 * retry-after hint in the error and HTTP 429 with Retry-After; health checks never limited; with
 * REDIS_URL the counts live in Redis, so that every instance shares them.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TestServer, token } from './support/server';
import { Subscriber } from './support/subscriptions';

const REDIS_URL = 'redis://127.0.0.1:6379';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: Record<string, any> }>;
  };
}

/** POST one operation as the client at `ip` (the servers trust X-Forwarded-For from loopback). */
async function post(server: TestServer, query: string, bearer: string | null, ip: string): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': ip,
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Answer['body'],
  };
}

const VIEWER = '{ viewer { id } }';
const analyst = (sub: string): string => token('ANALYST', { sub });

function expectServed(answer: Answer): void {
  expect(answer.body.errors).toBeUndefined();
  expect(answer.status).toBe(200);
}

/** RATE_LIMITED with the wait in the error, as HTTP 429 and in Retry-After; returns the error. */
function expectLimited(answer: Answer, per: 'user' | 'address'): Record<string, any> {
  expect(answer.body.data ?? null).toBeNull();
  const error = answer.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', per });
  const wait = error?.extensions?.retryAfterSeconds as number;
  expect(Number.isInteger(wait)).toBe(true);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(answer.status).toBe(429);
  expect(answer.retryAfter).toBe(String(wait));
  expect(error?.message).toMatch(/Too many requests/);
  return error!;
}

describe('rate limits', () => {
  describe('in memory (no REDIS_URL)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start({
        env: { RATE_LIMIT_PER_MINUTE_USER: '3', RATE_LIMIT_PER_MINUTE_IP: '8', TRUST_PROXY: 'loopback' },
      });
    });
    afterAll(async () => server?.stop());

    it('refuses the (n+1)th request of a user in a minute, with retry-after, and not other users', async () => {
      const ip = '198.51.100.1';
      for (let i = 0; i < 3; i++) expectServed(await post(server, VIEWER, analyst('rl-alice'), ip));
      const error = expectLimited(await post(server, VIEWER, analyst('rl-alice'), ip), 'user');
      expect(error.extensions?.limit).toBe(3);
      // Still refused on retry within the window, from any address.
      expectLimited(await post(server, VIEWER, analyst('rl-alice'), '198.51.100.99'), 'user');
      // Another user from the same address has a count of their own.
      expectServed(await post(server, VIEWER, analyst('rl-bob'), ip));
    });

    it('refuses the (n+1)th request from one address, whoever sends it, and not other addresses', async () => {
      const ip = '198.51.100.2';
      for (let i = 0; i < 8; i++) expectServed(await post(server, VIEWER, analyst(`rl-ip-${i}`), ip));
      expectLimited(await post(server, VIEWER, analyst('rl-ip-fresh'), ip), 'address');
      expectServed(await post(server, VIEWER, analyst('rl-ip-fresh'), '198.51.100.3'));
    });

    it('counts requests without a valid token against the address', async () => {
      const ip = '198.51.100.4';
      for (let i = 0; i < 8; i++) {
        const answer = await post(server, VIEWER, i % 2 ? 'not-a-token' : null, ip);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expectLimited(await post(server, VIEWER, null, ip), 'address');
    });

    it('counts every subscribe against the user, together with their HTTP requests', async () => {
      const bearer = analyst('rl-subscriber');
      const subscribers = Array.from({ length: 5 }, (_, i) =>
        Subscriber.open(`subscriber ${i}`, server, bearer),
      );
      try {
        // A limit of 3: two of the five are refused (which two depends on the order they arrive in).
        const deadline = Date.now() + 10_000;
        while (subscribers.filter((s) => s.errors).length < 2 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
        }
        const refused = subscribers.filter((s) => s.errors);
        expect(refused).toHaveLength(2);
        for (const s of refused) {
          expect(s.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', per: 'user', limit: 3 });
          expect(s.errors![0].message).toMatch(/Too many requests/);
        }
        expect(subscribers.filter((s) => s.failure)).toEqual([]);
        // The three accepted subscribes used the user's minute: an HTTP request is refused too.
        expectLimited(await post(server, VIEWER, bearer, '198.51.100.7'), 'user');
      } finally {
        await Promise.all(subscribers.map((s) => s.close()));
      }
    });

    it('never limits the health checks', async () => {
      const ip = '198.51.100.2'; // over its limit (above)
      expectLimited(await post(server, VIEWER, analyst('rl-health'), ip), 'address');
      for (let i = 0; i < 12; i++) {
        expectServed(await post(server, '{ health }', null, ip));
        expectServed(await post(server, '{ health __typename }', analyst('rl-alice'), ip));
        for (const path of ['/health/live', '/health/ready']) {
          const res = await fetch(`${server.url}${path}`, { headers: { 'x-forwarded-for': ip } });
          expect(res.status).toBe(200);
        }
      }
    });
  });

  describe('in Redis (REDIS_URL), shared by every instance', () => {
    const prefix = `knooppunt-test-${randomBytes(6).toString('hex')}:`;
    let redis: Redis;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0 });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        await redis.ping();
      } catch (error) {
        throw new Error(
          `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}): the shared rate-limit ` +
            'tests need it; start redis-server on 127.0.0.1:6379',
          { cause: error },
        );
      }
      const env = {
        REDIS_URL,
        REDIS_CHANNEL_PREFIX: prefix,
        RATE_LIMIT_PER_MINUTE_USER: '4',
        RATE_LIMIT_PER_MINUTE_IP: '1000',
      };
      a = await TestServer.start({ env });
      b = await TestServer.start({ env, databaseUrl: a.databaseUrl });
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      if (redis?.status === 'ready') {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      redis?.disconnect();
    });

    it('counts requests to both instances together', async () => {
      const carol = analyst('rl-shared-carol');
      for (const server of [a, b, a, b]) expectServed(await post(server, VIEWER, carol, '127.0.0.1'));
      expectLimited(await post(a, VIEWER, carol, '127.0.0.1'), 'user');
      expectLimited(await post(b, VIEWER, carol, '127.0.0.1'), 'user');
      // Another user is not affected, on either instance.
      expectServed(await post(b, VIEWER, analyst('rl-shared-dave'), '127.0.0.1'));

      // The count is in Redis under this run's prefix, with the window's expiry.
      const { rows } = await a.db.query<{ id: string }>(
        `SELECT id FROM app_user WHERE subject = 'rl-shared-carol'`,
      );
      const key = `${prefix}ratelimit:user:${rows[0].id}`;
      expect(Number(await redis.get(key))).toBe(6);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    });
  });
});
