import { getOperationAST, parse } from 'graphql';
import { AppConfig, validateEnvironment } from '@app/config';
import { isHealthCheck, MemoryCounters, RateLimiter, WINDOW_MS } from './rate-limit';

describe('MemoryCounters', () => {
  it('counts per key in fixed windows that start with the first request', async () => {
    const counters = new MemoryCounters();
    const t0 = 1_000_000;
    expect(await counters.hit(['a', 'b'], t0)).toEqual([
      { count: 1, resetMs: WINDOW_MS },
      { count: 1, resetMs: WINDOW_MS },
    ]);
    expect(await counters.hit(['a'], t0 + 1_000)).toEqual([{ count: 2, resetMs: WINDOW_MS - 1_000 }]);
    expect(await counters.hit(['a'], t0 + WINDOW_MS)).toEqual([{ count: 1, resetMs: WINDOW_MS }]);
  });
});

describe('RateLimiter in memory', () => {
  const limiter = (env: Record<string, string>) => new RateLimiter(new AppConfig(validateEnvironment(env)));

  it('refuses over the per-user or per-address limit with the wait of the limit that was hit', async () => {
    const rl = limiter({ RATE_LIMIT_PER_MINUTE_USER: '2', RATE_LIMIT_PER_MINUTE_IP: '3' });
    const t0 = 5_000_000;
    expect(await rl.check({ ip: '1', userId: 'u' }, t0)).toBeNull();
    expect(await rl.check({ ip: '1', userId: 'u' }, t0 + 10_000)).toBeNull();
    const user = await rl.check({ ip: '2', userId: 'u' }, t0 + 20_000);
    expect(user?.extensions).toMatchObject({ code: 'RATE_LIMITED', per: 'user', retryAfterSeconds: 40 });
    expect(await rl.check({ ip: '1', userId: 'v' }, t0 + 30_000)).toBeNull();
    expect(await rl.check({ ip: '1', userId: 'w' }, t0 + 30_000)).toMatchObject({
      extensions: { code: 'RATE_LIMITED', per: 'address', retryAfterSeconds: 30 },
    });
    expect(await rl.check({ ip: '1', userId: 'v' }, t0 + WINDOW_MS)).toBeNull();
  });
});

describe('isHealthCheck', () => {
  const op = (query: string) => getOperationAST(parse(query)) ?? undefined;
  it('is true only for queries of health and __typename', () => {
    expect(isHealthCheck(op('{ health }'))).toBe(true);
    expect(isHealthCheck(op('query Q { health __typename }'))).toBe(true);
    expect(isHealthCheck(op('{ health viewer { id } }'))).toBe(false);
    expect(isHealthCheck(op('{ ...F } fragment F on Query { health }'))).toBe(false);
    expect(isHealthCheck(op('{ h: health }'))).toBe(true);
    expect(isHealthCheck(undefined)).toBe(false);
  });
});
