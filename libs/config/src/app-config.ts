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
   * Redis for blocker events across server instances (redis://[user:password@]host[:port][/db], or
   * rediss:// for TLS); unset keeps events inside this process.
   */
  @IsOptional()
  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of the Redis channel names, so that several registries (or test runs) can share one Redis. */
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

  @ValidateIf(
    (env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.AUTH_JWT_SECRET !== undefined,
  )
  @IsString({ message: 'AUTH_JWT_SECRET is required when NODE_ENV=production (at least 32 characters)' })
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

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

/** Validate the environment; throws ConfigError with one readable line naming every problem. */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(`Invalid configuration: ${describe(errors)}`);
  return config;
}
