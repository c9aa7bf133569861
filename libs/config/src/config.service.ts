import {
  DEV_JWT_SECRET,
  EnvironmentVariables,
  LogFormat,
  LogLevel,
  NodeEnv,
  parseWeights,
  PriorityWeights,
} from './app-config';

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
  readonly jwtSecret: string;
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  readonly priorityWeights: PriorityWeights;
  readonly exposeQueryStats: boolean;
  readonly queryLimits: { maxDepth: number; maxCost: number; maxAliases: number; maxRootFields: number };
  readonly httpBodyLimit: string;
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
    this.jwtSecret = env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
    this.demoData = env.DEMO_DATA;
    this.logLevel = env.LOG_LEVEL;
    this.priorityWeights = parseWeights(env.PRIORITY_WEIGHTS);
    this.exposeQueryStats = env.EXPOSE_QUERY_STATS ?? env.NODE_ENV !== 'production';
    this.queryLimits = {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxCost: env.QUERY_MAX_COST,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxRootFields: env.QUERY_MAX_ROOT_FIELDS,
    };
    this.httpBodyLimit = env.HTTP_BODY_LIMIT.toLowerCase();
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
