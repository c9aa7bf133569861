import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { AuditModule } from '@app/audit';
import { AuthModule, AuthService } from '@app/auth';
import { AuthApiModule } from '@app/auth/api';
import { AnalyticsApiModule } from '@app/analytics/api';
import { AuditApiModule } from '@app/audit/api';
import { BlockersApiModule } from '@app/blockers/api';
import { NeedsApiModule } from '@app/needs/api';
import { AppConfig, ConfigModule } from '@app/config';
import { CoreModule } from '@app/core';
import { DatabaseModule } from '@app/database';
import { SeedModule } from '@app/database/seeds/seed.module';
import { ProvidersApiModule } from '@app/providers/api';
import { AuthGuard } from './graphql/auth.guard';
import { graphqlOptions } from './graphql/graphql.config';
import { HealthResolver } from './graphql/health.resolver';
import { NodeResolver } from './graphql/node.resolver';
import { RequestScopeMiddleware } from './graphql/request-scope.middleware';
import { RequestShapeMiddleware } from './graphql/request-shape.middleware';
import { HttpErrorFilter } from './graphql/http-error.filter';
import { InputValidationPipe } from './graphql/validation';
import { HealthController } from './health/health.controller';

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
        AuditModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule],
          inject: [AppConfig, AuthService, GraphQLSchemaHost],
          useFactory: graphqlOptions,
        }),
        ProvidersApiModule,
        AuthApiModule,
        NeedsApiModule,
        BlockersApiModule,
        AuditApiModule,
        AnalyticsApiModule,
        SeedModule,
      ],
      controllers: [HealthController],
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
    consumer.apply(RequestScopeMiddleware).forRoutes('*path');
    consumer.apply(RequestShapeMiddleware).forRoutes('graphql');
  }
}
