import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CryptoModule } from '../../common/crypto/crypto.module';
import { salesforceConfig } from '../../config/salesforce.config';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ApiUsageTracker } from './client/api-usage-tracker';
import { InstancePools } from './client/instance-pools';
import { SalesforceClient } from './client/salesforce-client';
import { SalesforceHttp } from './client/salesforce-http';
import { SalesforceMetrics } from './client/salesforce-metrics';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';
import { OAuthState } from './entities/oauth-state.entity';
import { SalesforceConnection } from './entities/salesforce-connection.entity';
import { SalesforceOAuth } from './oauth/salesforce-oauth';
import { RegionGuard } from './regions/region.guard';
import { SalesforceSessions } from './tokens/salesforce-sessions';

/**
 * Salesforce connections (OAuth flows, encrypted tokens, refresh), the client every Salesforce call goes
 * through (pools per instance, deadlines, error classes), scope profiles and region pinning.
 */
@Module({
  imports: [
    ConfigModule.forFeature(salesforceConfig),
    TypeOrmModule.forFeature([SalesforceConnection, OAuthState]),
    CryptoModule,
    TenancyModule,
  ],
  controllers: [ConnectionsController],
  providers: [
    InstancePools,
    SalesforceMetrics,
    ApiUsageTracker,
    SalesforceHttp,
    SalesforceOAuth,
    SalesforceSessions,
    SalesforceClient,
    ConnectionsService,
    RegionGuard,
  ],
  exports: [SalesforceClient, ConnectionsService, RegionGuard],
})
export class SalesforceModule {}
