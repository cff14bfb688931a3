import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from './api-keys.service';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { ApiKeyResponse } from './dto/api-key.dto';
import { TenantResponse } from './dto/tenant.dto';
import { ParseIdPipe } from './id.pipe';
import type { TenantPrincipal } from '../../common/auth/principal';
import { TenantsService } from './tenants.service';

/** What a tenant's own keys may see of their tenant: itself, and (admins) its keys. */
@ApiTags('tenant')
@ApiBearerAuth()
@Controller('v1')
export class OwnTenantController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get('tenant')
  @Roles('admin', 'agent')
  @ApiOperation({ summary: 'The tenant the calling key belongs to' })
  @ApiOkResponse({ type: TenantResponse })
  async whoAmI(@CurrentTenant() caller: TenantPrincipal): Promise<TenantResponse> {
    return TenantResponse.from(await this.tenants.get(caller.tenantId));
  }

  @Get('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: "The tenant's keys (never the secrets)" })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  async listKeys(@CurrentTenant() caller: TenantPrincipal): Promise<ApiKeyResponse[]> {
    return (await this.apiKeys.listForTenant(caller.tenantId)).map((apiKey) => ApiKeyResponse.from(apiKey));
  }

  @Delete('api-keys/:keyId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke one of the tenant's keys (e.g. a leaked agent key)" })
  async revokeKey(
    @Param('keyId', new ParseIdPipe('API key')) keyId: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<void> {
    await this.apiKeys.revoke(caller.tenantId, keyId, caller);
  }
}
