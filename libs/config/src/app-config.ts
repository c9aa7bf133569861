import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
  ValidationError,
} from 'class-validator';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
export type LogFormat = 'json' | 'pretty';

/** Development-only secret so that a fresh clone runs without set-up; refused in production. */
export const DEV_JWT_SECRET = 'knooppunt-local-development-secret-change-me';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** A claim name, or a dotted path into nested objects (realm_access.roles); URL-like names work too. */
const CLAIM_PATH = /^[^\s]{1,200}$/;

/** redis:// or rediss://, optional credentials, a host name or address ([::1] too), port and database. */
const REDIS_URL = /^rediss?:\/\/(?:[^\s@/]*@)?(?:\[[\da-fA-F:.]+\]|[^\s@/:[\]]+)(?::\d{1,5})?(?:\/\d{0,2})?$/;

export interface PriorityWeights {
  severity: number;
  people: number;
  work: number;
  reach: number;
  unblocks: number;
  dependents: number;
  urgency: number;
}

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = {
  severity: 0.2,
  people: 0.25,
  work: 0.1,
  reach: 0.15,
  unblocks: 0.15,
  dependents: 0.1,
  urgency: 0.05,
};

/** The environment variables the server reads, validated once at start. Nothing else reads process.env. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * Redis for blocker events and rate limits across server instances (redis://[user:password@]host[:port][/db], or
   * rediss:// for TLS); unset keeps events inside this process.
   */
  @IsOptional()
  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * Prefix of the Redis channel and key names (blocker events, rate-limit counters), so that several
   * registries (or test runs) can share one Redis.
   */
  @Matches(/^[\w:.-]{1,100}$/, {
    message: 'REDIS_CHANNEL_PREFIX must be 1 to 100 letters, digits or the characters _ : . -',
  })
  REDIS_CHANNEL_PREFIX = 'knooppunt:';

  /** Folder of the embedded PostgreSQL used when DATABASE_URL is not set. */
  @IsString()
  EMBEDDED_PG_DIR = './.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /**
   * On SIGTERM or SIGINT: how long requests in flight may take to finish once the server stopped
   * accepting connections; past it the process exits with code 1 (milliseconds).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600000)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** HS256 secret of locally signed tokens; production needs it unless tokens come from AUTH_JWKS_URL. */
  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.AUTH_JWT_SECRET !== undefined || (env.NODE_ENV === 'production' && env.AUTH_JWKS_URL === undefined),
  )
  @IsString({
    message:
      'AUTH_JWT_SECRET is required when NODE_ENV=production (at least 32 characters), unless AUTH_JWKS_URL is set',
  })
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  /**
   * The JWKS of the OIDC identity provider: RS256 and ES256 tokens are verified against its keys,
   * which are fetched on first use, cached and fetched again when a token names an unknown key.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#@]+(?:\/[^\s#]*)?$/, { message: 'AUTH_JWKS_URL must be an http(s):// URL' })
  AUTH_JWKS_URL?: string;

  /** Required `iss` of identity-provider tokens (required in production with AUTH_JWKS_URL). */
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  /** Accepted `aud` values of identity-provider tokens, comma-separated (required in production). */
  @IsOptional()
  @Matches(/^\s*[^\s,]+\s*(,\s*[^\s,]+\s*)*$/, {
    message: 'AUTH_AUDIENCE must be one audience or a comma-separated list',
  })
  AUTH_AUDIENCE?: string;

  /** Leeway for exp and nbf, for clocks that differ between the identity provider and us. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  AUTH_CLOCK_SKEW_SECONDS = 30;

  /** Claim holding the roles of identity-provider tokens; a dotted path reaches into objects. */
  @Matches(CLAIM_PATH, {
    message: 'AUTH_ROLES_CLAIM must be a claim name or a dotted path, e.g. realm_access.roles',
  })
  AUTH_ROLES_CLAIM = 'roles';

  /** Claim holding a steward's OIN or TOOI URI in identity-provider tokens; a dotted path works too. */
  @Matches(CLAIM_PATH, { message: 'AUTH_ORG_CLAIM must be a claim name or a dotted path' })
  AUTH_ORG_CLAIM = 'org';

  /** Refuse locally signed (HS256) tokens: only the identity provider's tokens count. */
  @Transform(toBool)
  @IsBoolean({ message: 'AUTH_DISABLE_LOCAL_TOKENS must be true or false' })
  AUTH_DISABLE_LOCAL_TOKENS = false;

  /** Least time between two JWKS fetches caused by unknown key ids (rate limit of refetching). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTH_JWKS_COOLDOWN_SECONDS = 30;

  /** How long fetched keys are used before the JWKS is fetched again. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_JWKS_CACHE_SECONDS = 600;

  /** Requests per minute per user and per client address; health checks are never limited. */
  @Transform(toBool)
  @IsBoolean({ message: 'RATE_LIMIT_ENABLED must be true or false' })
  RATE_LIMIT_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE_USER = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE_IP = 1200;

  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For names the client (true, a number of hops,
   * or addresses/subnets such as loopback or 10.0.0.0/8); unset: the connection's address is the client.
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\w.:/-]+(\s*,\s*[\w.:/-]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops or a comma-separated list of addresses',
  })
  TRUST_PROXY?: string;

  @Transform(toBool)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
  LOG_LEVEL: LogLevel = 'info';

  /** Comma-separated `name=weight` pairs overriding the priority score's default weights. */
  @IsOptional()
  @Matches(/^\s*[a-z]+\s*=\s*\d*\.?\d+\s*(,\s*[a-z]+\s*=\s*\d*\.?\d+\s*)*$/, {
    message: 'PRIORITY_WEIGHTS must look like severity=0.2,people=0.25',
  })
  PRIORITY_WEIGHTS?: string;

  /**
   * How often (milliseconds) the urgency factor is brought up to date with the calendar: a target date
   * comes within 365 or 90 days without anything else changing. 0 turns the refresh off.
   */
  @Transform(toInt)
  @IsInt({ message: 'SCORE_REFRESH_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(86_400_000)
  SCORE_REFRESH_INTERVAL_MS = 3_600_000;

  /** Report SQL statements per request in the response's extensions (default: on outside production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'EXPOSE_QUERY_STATS must be true or false' })
  EXPOSE_QUERY_STATS?: boolean;

  /** Hostile-query limits, checked before execution (QUERY_TOO_COMPLEX). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  QUERY_MAX_DEPTH = 12;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  QUERY_MAX_COST = 25000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  QUERY_MAX_ALIASES = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  QUERY_MAX_ROOT_FIELDS = 15;

  /** Largest request body, e.g. 100kb or 1mb. */
  @Matches(/^\d+(kb|mb)$/i, { message: 'HTTP_BODY_LIMIT must look like 100kb or 1mb' })
  HTTP_BODY_LIMIT = '100kb';

  /** Accept a JSON array of operations in one request. */
  @Transform(toBool)
  @IsBoolean({ message: 'GRAPHQL_BATCHING must be true or false' })
  GRAPHQL_BATCHING = false;

  /** Schema introspection and the explorer (default: on outside production). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'GRAPHQL_INTROSPECTION must be true or false' })
  GRAPHQL_INTROSPECTION?: boolean;

  /** The GraphiQL explorer at /graphql for browsers (default: on when introspection is on). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'EXPLORER_ENABLED must be true or false' })
  EXPLORER_ENABLED?: boolean;

  /** `json`: one JSON object per line; `pretty`: readable lines (default: pretty in development only). */
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: LogFormat;

  /** Prometheus metrics at GET /metrics. */
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS_ENABLED must be true or false' })
  METRICS_ENABLED = true;

  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** OTLP/HTTP endpoint of a trace collector, e.g. http://otel-collector:4318; unset loads no tracing. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Service name on the traces. */
  @Matches(/^[\w.-]{1,100}$/, { message: 'OTEL_SERVICE_NAME must be 1 to 100 letters, digits or _ . -' })
  OTEL_SERVICE_NAME = 'knooppunt-api';
}

export class ConfigError extends Error {}

/** Checks of the kind of value; when one fails, a variable's range checks only add noise. */
const KIND_CONSTRAINTS = new Set(['isInt', 'isBoolean', 'isString', 'isIn', 'matches']);

function describe(errors: ValidationError[]): string {
  return errors
    .flatMap((e) => {
      const failed = Object.entries(e.constraints ?? {});
      const kind = failed.filter(([name]) => KIND_CONSTRAINTS.has(name));
      return (kind.length > 0 ? kind : failed).map(([, m]) =>
        m.startsWith(e.property) ? m : `${e.property}: ${m}`,
      );
    })
    .join('; ');
}

export function parseWeights(spec: string | undefined): PriorityWeights {
  const weights = { ...DEFAULT_PRIORITY_WEIGHTS };
  if (!spec) return weights;
  for (const pair of spec.split(',')) {
    const [name, value] = pair.split('=').map((s) => s.trim());
    if (!(name in weights)) {
      throw new ConfigError(
        `Invalid configuration: PRIORITY_WEIGHTS names an unknown factor "${name}" (known: ${Object.keys(weights).join(', ')})`,
      );
    }
    weights[name as keyof PriorityWeights] = Number(value);
  }
  return weights;
}

/** Rules that tie several variables together (each variable on its own is already valid). */
function combinationProblems(env: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  if (env.AUTH_JWKS_URL === undefined) {
    if (env.AUTH_DISABLE_LOCAL_TOKENS)
      problems.push('AUTH_DISABLE_LOCAL_TOKENS=true needs AUTH_JWKS_URL, or no token could be accepted');
    if (env.AUTH_ISSUER !== undefined || env.AUTH_AUDIENCE !== undefined)
      problems.push('AUTH_ISSUER and AUTH_AUDIENCE apply to identity-provider tokens: set AUTH_JWKS_URL too');
  } else if (production) {
    if (!env.AUTH_JWKS_URL.startsWith('https://'))
      problems.push('AUTH_JWKS_URL must be an https:// URL when NODE_ENV=production');
    if (env.AUTH_ISSUER === undefined || env.AUTH_AUDIENCE === undefined)
      problems.push('AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL when NODE_ENV=production');
  }
  return problems;
}

/** Validate the environment; throws ConfigError with one readable line naming every problem. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(`Invalid configuration: ${describe(errors)}`);
  const problems = combinationProblems(config);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return config;
}
