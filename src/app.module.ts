import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggingModule } from './common/logging/logging.module';
import { appConfig } from './config/app.config';
import { DatabaseConfig, databaseConfig } from './config/database.config';
import { limitsConfig } from './config/limits.config';
import { redisConfig } from './config/redis.config';
import { securityConfig } from './config/security.config';
import { buildDataSourceOptions } from './database/data-source-options';
import { AgentToolsModule } from './modules/agent-tools/agent-tools.module';
import { AuditModule } from './modules/audit/audit.module';
import { HealthModule } from './modules/health/health.module';
import { MappingModule } from './modules/mapping/mapping.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { OperationsModule } from './modules/operations/operations.module';
import { QueueModule } from './modules/queue/queue.module';
import { SalesforceModule } from './modules/salesforce/salesforce.module';
import { TenancyModule } from './modules/tenancy/tenancy.module';
import { WritesModule } from './modules/writes/writes.module';

/** Everything both processes share: the API serves it over HTTP, the worker runs it without HTTP. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      load: [appConfig, databaseConfig, redisConfig, securityConfig, limitsConfig],
    }),
    LoggingModule,
    EventEmitterModule.forRoot({ wildcard: false }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const database = config.getOrThrow<DatabaseConfig>('database');
        return {
          ...buildDataSourceOptions(database.url, database.poolMax),
          migrationsRun: database.migrationsRun,
        };
      },
    }),
    QueueModule,
    MetricsModule,
    HealthModule,
    TenancyModule,
    SalesforceModule,
    MappingModule,
    WritesModule,
    OperationsModule,
    AuditModule,
    AgentToolsModule,
  ],
})
export class AppModule {}
