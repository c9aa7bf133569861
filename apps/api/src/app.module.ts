import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { AuditModule } from '@app/audit';
import { AuthModule, AuthService } from '@app/auth';
import { AuthApiModule } from '@app/auth/api';
import { AnalyticsModule } from '@app/analytics';
import { AnalyticsApiModule } from '@app/analytics/api';
import { AuditApiModule } from '@app/audit/api';
import { BlockersApiModule } from '@app/blockers/api';
import { NeedsApiModule } from '@app/needs/api';
import { AppConfig, ConfigModule } from '@app/config';
import { CoreModule, IdempotencyStore } from '@app/core';
import { DatabaseModule } from '@app/database';
import { SeedModule } from '@app/database/seeds/seed.module';
import { ProvidersApiModule } from '@app/providers/api';
import { AuthGuard } from './graphql/auth.guard';
import { graphqlOptions } from './graphql/graphql.config';
import { HealthResolver } from './graphql/health.resolver';
import { NodeResolver } from './graphql/node.resolver';
import { RateLimiter, RateLimitModule } from './graphql/rate-limit';
import { RequestScopeMiddleware } from './graphql/request-scope.middleware';
import { RequestShapeMiddleware } from './graphql/request-shape.middleware';
import { HttpErrorFilter } from './graphql/http-error.filter';
import { InputValidationPipe } from './graphql/validation';
import { HealthController } from './health/health.controller';
import { ExplorerController } from './explorer/explorer.controller';
import { MetricsService } from './observability/metrics.service';
import { ObservabilityModule } from './observability/observability.module';
import { RequestLogMiddleware } from './observability/request-log.middleware';

@Module({})
export class AppModule implements NestModule {
  /** The whole server; `env` overrides the process environment (tests, tools). */
  static forRoot(env: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        CoreModule,
        DatabaseModule,
        ObservabilityModule,
        AuditModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, RateLimitModule],
          inject: [AppConfig, AuthService, GraphQLSchemaHost, MetricsService, RateLimiter, IdempotencyStore],
          useFactory: graphqlOptions,
        }),
        ProvidersApiModule,
        AuthApiModule,
        NeedsApiModule,
        BlockersApiModule,
        AuditApiModule,
        AnalyticsModule,
        AnalyticsApiModule,
        SeedModule,
      ],
      controllers: [HealthController, ExplorerController],
      providers: [
        HealthResolver,
        NodeResolver,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestScopeMiddleware, RequestLogMiddleware).forRoutes('*path');
    consumer.apply(RequestShapeMiddleware).forRoutes('graphql');
  }
}
