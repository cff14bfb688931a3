import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysService } from './api-keys.service';
import { ApiKey } from './entities/api-key.entity';
import { Tenant } from './entities/tenant.entity';
import { ApiKeyGuard } from './guards/api-key.guard';
import { OwnTenantController } from './own-tenant.controller';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

/** Tenants, their API keys and the global guard that turns a bearer key into a role and a tenant. */
@Module({
  imports: [TypeOrmModule.forFeature([Tenant, ApiKey])],
  controllers: [TenantsController, OwnTenantController],
  providers: [TenantsService, ApiKeysService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [TenantsService],
})
export class TenancyModule {}
