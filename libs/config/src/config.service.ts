import {
  DEV_JWT_SECRET,
  EnvironmentVariables,
  LogFormat,
  LogLevel,
  NodeEnv,
  parseWeights,
  PriorityWeights,
} from './app-config';

/** How bearer tokens are verified (see docs/security.md). */
export interface AuthSettings {
  /** HS256 secret of locally signed tokens; null: local tokens are refused. */
  localSecret: string | null;
  /** JWKS of the OIDC identity provider; undefined: RS256/ES256 tokens are refused. */
  jwksUrl: string | undefined;
  issuer: string | undefined;
  /** Accepted audiences; empty: `aud` is not checked. */
  audience: string[];
  clockSkewSeconds: number;
  rolesClaim: string;
  orgClaim: string;
  jwksCooldownSeconds: number;
  jwksCacheSeconds: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  perMinuteUser: number;
  perMinuteIp: number;
}

/** The one validated configuration of a process. */
export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly databaseUrl: string | undefined;
  /** Redis that carries blocker events between server instances; undefined: events stay in process. */
  readonly redisUrl: string | undefined;
  readonly redisChannelPrefix: string;
  readonly embeddedPgDir: string;
  readonly embeddedPgPort: number;
  readonly dbPoolSize: number;
  /** How long a shutdown waits for requests in flight before it gives up. */
  readonly shutdownTimeoutMs: number;
  /** HS256 secret of local tokens (npm run token, tests); null when local tokens are refused. */
  readonly jwtSecret: string | null;
  readonly auth: AuthSettings;
  readonly rateLimit: RateLimitSettings;
  /** Express's `trust proxy` setting; false: the connection's address is the client's. */
  readonly trustProxy: boolean | number | string;
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  readonly priorityWeights: PriorityWeights;
  /** Milliseconds between urgency refreshes; 0: off. */
  readonly scoreRefreshIntervalMs: number;
  readonly exposeQueryStats: boolean;
  readonly queryLimits: { maxDepth: number; maxCost: number; maxAliases: number; maxRootFields: number };
  /** HTTP_BODY_LIMIT in bytes (100kb: 102 400). */
  readonly httpBodyLimit: number;
  readonly graphqlBatching: boolean;
  readonly introspection: boolean;
  /** GraphiQL for browsers at /graphql. */
  readonly explorerEnabled: boolean;
  readonly logFormat: LogFormat;
  /** Prometheus metrics at /metrics; `token` set: only with that bearer token. */
  readonly metrics: { enabled: boolean; token: string | undefined };
  /** OpenTelemetry tracing; `endpoint` undefined: nothing is loaded. */
  readonly tracing: { endpoint: string | undefined; serviceName: string };

  constructor(env: EnvironmentVariables) {
    this.nodeEnv = env.NODE_ENV;
    this.port = env.PORT;
    this.databaseUrl = env.DATABASE_URL;
    this.redisUrl = env.REDIS_URL;
    this.redisChannelPrefix = env.REDIS_CHANNEL_PREFIX;
    this.embeddedPgDir = env.EMBEDDED_PG_DIR;
    this.embeddedPgPort = env.EMBEDDED_PG_PORT;
    this.dbPoolSize = env.DB_POOL_SIZE;
    this.shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS;
    // With an identity provider the development secret never applies: local tokens need a real one.
    this.jwtSecret = env.AUTH_DISABLE_LOCAL_TOKENS
      ? null
      : (env.AUTH_JWT_SECRET ?? (env.AUTH_JWKS_URL === undefined ? DEV_JWT_SECRET : null));
    this.auth = {
      localSecret: this.jwtSecret,
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER,
      audience: (env.AUTH_AUDIENCE ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a.length > 0),
      clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
      rolesClaim: env.AUTH_ROLES_CLAIM,
      orgClaim: env.AUTH_ORG_CLAIM,
      jwksCooldownSeconds: env.AUTH_JWKS_COOLDOWN_SECONDS,
      jwksCacheSeconds: env.AUTH_JWKS_CACHE_SECONDS,
    };
    this.rateLimit = {
      enabled: env.RATE_LIMIT_ENABLED,
      perMinuteUser: env.RATE_LIMIT_PER_MINUTE_USER,
      perMinuteIp: env.RATE_LIMIT_PER_MINUTE_IP,
    };
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
    this.demoData = env.DEMO_DATA;
    this.logLevel = env.LOG_LEVEL;
    this.priorityWeights = parseWeights(env.PRIORITY_WEIGHTS);
    this.scoreRefreshIntervalMs = env.SCORE_REFRESH_INTERVAL_MS;
    this.exposeQueryStats = env.EXPOSE_QUERY_STATS ?? env.NODE_ENV !== 'production';
    this.queryLimits = {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxCost: env.QUERY_MAX_COST,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxRootFields: env.QUERY_MAX_ROOT_FIELDS,
    };
    this.httpBodyLimit = parseByteSize(env.HTTP_BODY_LIMIT);
    this.graphqlBatching = env.GRAPHQL_BATCHING;
    this.introspection = env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production';
    this.explorerEnabled = env.EXPLORER_ENABLED ?? this.introspection;
    this.logFormat = env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json');
    this.metrics = { enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN };
    this.tracing = { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME };
  }

  get production(): boolean {
    return this.nodeEnv === 'production';
  }
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `100kb` or `1mb` (validated by the schema) in bytes, in units of 1024 as the JSON body parser counts. */
export function parseByteSize(value: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(value);
  if (!match) throw new Error(`not a size: ${value}`);
  return Number(match[1]) * (match[2].toLowerCase() === 'kb' ? 1024 : 1024 * 1024);
}
