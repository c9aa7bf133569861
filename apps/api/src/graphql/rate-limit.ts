import { ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GraphQLError, Kind, OperationDefinitionNode, OperationTypeNode } from 'graphql';
import { Redis } from 'ioredis';
import { AppConfig } from '@app/config';
import { GqlContext } from '@app/core/graphql';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** The limits count requests per minute, in fixed windows that start with a key's first request. */
export const WINDOW_MS = 60_000;
/** How long start waits for Redis before counting in memory until it is there. */
const CONNECT_WAIT_MS = 3_000;
/** A Redis command that takes longer counts in memory instead; a slow Redis must not slow the API. */
const COMMAND_TIMEOUT_MS = 1_000;

/** One counter after a hit: the requests in its window so far and the milliseconds left in it. */
export interface Count {
  count: number;
  resetMs: number;
}

/** Where the counters live: this process, or Redis for all instances. */
export interface Counters {
  /** Count one request on each key; the counts come back in the order of the keys. */
  hit(keys: string[], now: number): Promise<Count[]>;
}

/** Counters of this process: each instance limits on its own. */
export class MemoryCounters implements Counters {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  async hit(keys: string[], now: number): Promise<Count[]> {
    this.sweep(now);
    return keys.map((key) => {
      let window = this.windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + WINDOW_MS };
        this.windows.set(key, window);
      }
      window.count += 1;
      return { count: window.count, resetMs: window.resetAt - now };
    });
  }

  /** Forget ended windows, at most once per window length. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + WINDOW_MS;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/**
 * INCR each key and give it the window's expiry when it has none (a new window), in one round trip and
 * atomically: every instance sees the same count. Returns count and milliseconds left, per key.
 */
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;

/**
 * Counters in Redis, shared by every instance. While Redis cannot answer, requests are counted in this
 * process (each instance then limits on its own) rather than refused or let through unlimited.
 */
export class RedisCounters implements Counters {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new MemoryCounters();
  private readonly redis: Redis;
  private down = false;

  constructor(url: string) {
    this.redis = new Redis(url, {
      connectionName: 'knooppunt-rate-limit',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    });
    // ioredis retries on its own; the outage is reported once, when a count falls back.
    this.redis.on('error', () => undefined);
  }

  /** Wait briefly for the connection, so that the first requests are already counted in Redis. */
  async start(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const ready = new Promise<boolean>((resolve) => this.redis.once('ready', () => resolve(true)));
    const waited = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), CONNECT_WAIT_MS).unref(),
    );
    if (!(await Promise.race([ready, waited]))) {
      this.logger.warn('Redis is not reachable yet: rate limits are counted per instance until it is');
    }
  }

  async hit(keys: string[], now: number): Promise<Count[]> {
    try {
      const reply = (await this.redis.eval(HIT_SCRIPT, keys.length, ...keys, WINDOW_MS)) as number[];
      if (this.down) this.logger.log('Redis is back: rate limits are shared by all instances again');
      this.down = false;
      return keys.map((_, i) => ({ count: Number(reply[2 * i]), resetMs: Number(reply[2 * i + 1]) }));
    } catch (error) {
      if (!this.down) {
        this.logger.warn(
          `Redis cannot count requests (${(error as Error).message}): counting per instance until it can`,
        );
      }
      this.down = true;
      return this.fallback.hit(keys, now);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Who a request is counted against. */
export interface RateSubject {
  /** The client's address (behind proxies: as TRUST_PROXY allows X-Forwarded-For to tell). */
  ip?: string;
  /** The authenticated user. */
  userId?: string;
}

/** Requests per minute per user and per client address (RATE_LIMIT_*), in Redis when REDIS_URL is set. */
@Injectable()
export class RateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly counters: Counters;
  private readonly prefix: string;

  constructor(private readonly config: AppConfig) {
    this.counters =
      config.redisUrl && config.rateLimit.enabled ? new RedisCounters(config.redisUrl) : new MemoryCounters();
    this.prefix = `${config.redisChannelPrefix}ratelimit:`;
  }

  get enabled(): boolean {
    return this.config.rateLimit.enabled;
  }

  async onModuleInit(): Promise<void> {
    if (this.counters instanceof RedisCounters) await this.counters.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.counters instanceof RedisCounters) await this.counters.close();
  }

  /** Count the request; the error to answer with when it goes over a limit, else null. */
  async check(subject: RateSubject, now = Date.now()): Promise<GraphQLError | null> {
    const limits: Array<{ key: string; limit: number; per: 'user' | 'address' }> = [];
    if (subject.ip !== undefined)
      limits.push({
        key: `${this.prefix}ip:${subject.ip}`,
        limit: this.config.rateLimit.perMinuteIp,
        per: 'address',
      });
    if (subject.userId !== undefined)
      limits.push({
        key: `${this.prefix}user:${subject.userId}`,
        limit: this.config.rateLimit.perMinuteUser,
        per: 'user',
      });
    if (limits.length === 0) return null;
    const counts = await this.counters.hit(
      limits.map((l) => l.key),
      now,
    );
    const over = limits
      .map((limit, i) => ({ ...limit, ...counts[i] }))
      .filter((c) => c.count > c.limit)
      .sort((a, b) => b.resetMs - a.resetMs);
    if (over.length === 0) return null;
    return rateLimited(over[0].per, over[0].limit, Math.max(1, Math.ceil(over[0].resetMs / 1000)));
  }
}

@Module({ providers: [RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}

/** RATE_LIMITED, with the wait in `extensions.retryAfterSeconds` and as HTTP 429 with Retry-After. */
export function rateLimited(per: 'user' | 'address', limit: number, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(
    `Too many requests: at most ${limit} a minute per ${per}; try again in ${retryAfterSeconds} s`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        limit,
        per,
        // A plain Map: Apollo takes any Map here (its HeaderMap class exists once per module format).
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

/** Root fields that answer whether the server is up; an operation of only these is never limited. */
const HEALTH_FIELDS = new Set(['health', '__typename']);

export function isHealthCheck(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation?.operation === OperationTypeNode.QUERY &&
    operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && HEALTH_FIELDS.has(s.name.value))
  );
}

/**
 * Counts each operation against its client address and its user before it runs, and refuses it with
 * RATE_LIMITED over either limit. Health checks are not counted (nor are /health/live and /health/ready,
 * which are not GraphQL).
 */
export function rateLimitPlugin(limiter: RateLimiter): Plugin {
  return {
    async requestDidStart() {
      // Switched off (RATE_LIMIT_ENABLED=false): no hook to run for the request at all.
      if (!limiter.enabled) return {};
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (isHealthCheck(operation)) return;
          const context = contextValue as GqlContext;
          const error = await limiter.check({ ip: context.clientIp, userId: context.actor?.userId });
          if (error) throw error;
        },
      };
    },
  };
}
