import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { ApiKeyResponse, CreateApiKeyRequest, IssuedApiKeyResponse } from './dto/api-key.dto';
import { CreateTenantRequest, TenantResponse } from './dto/tenant.dto';
import { ParseIdPipe } from './id.pipe';
import type { Principal } from '../../common/auth/principal';
import { TenantsService } from './tenants.service';

/** The operator's routes: tenants and their keys. */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator')
@Controller('v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (one customer with one Salesforce org)' })
  @ApiCreatedResponse({ type: TenantResponse })
  async create(
    @Body() body: CreateTenantRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<TenantResponse> {
    return TenantResponse.from(await this.tenants.create(body.name, body.region, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ type: [TenantResponse] })
  async list(): Promise<TenantResponse[]> {
    return (await this.tenants.list()).map((tenant) => TenantResponse.from(tenant));
  }

  @Get(':tenantId')
  @ApiOkResponse({ type: TenantResponse })
  async get(@Param('tenantId', new ParseIdPipe('Tenant')) tenantId: string): Promise<TenantResponse> {
    return TenantResponse.from(await this.tenants.get(tenantId));
  }

  @Post(':tenantId/api-keys')
  @ApiOperation({ summary: 'Issue an admin or agent key; the key is in this response only' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  async issueKey(
    @Param('tenantId', new ParseIdPipe('Tenant')) tenantId: string,
    @Body() body: CreateApiKeyRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<IssuedApiKeyResponse> {
    await this.tenants.get(tenantId);
    const issued = await this.apiKeys.issue(tenantId, body.role, body.label, actor);
    return { ...ApiKeyResponse.from(issued.apiKey), key: issued.key };
  }

  @Get(':tenantId/api-keys')
  @ApiOkResponse({ type: [ApiKeyResponse] })
  async listKeys(@Param('tenantId', new ParseIdPipe('Tenant')) tenantId: string): Promise<ApiKeyResponse[]> {
    await this.tenants.get(tenantId);
    return (await this.apiKeys.listForTenant(tenantId)).map((apiKey) => ApiKeyResponse.from(apiKey));
  }

  @Delete(':tenantId/api-keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key; it stops working at once' })
  async revokeKey(
    @Param('tenantId', new ParseIdPipe('Tenant')) tenantId: string,
    @Param('keyId', new ParseIdPipe('API key')) keyId: string,
    @CurrentPrincipal() actor: Principal,
  ): Promise<void> {
    await this.apiKeys.revoke(tenantId, keyId, actor);
  }
}
