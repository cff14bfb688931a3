import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../common/auth/principal';
import { Public, Roles } from '../../common/auth/roles.decorator';
import { ConnectionsService } from './connections.service';
import {
  ConnectionResponse,
  OAuthCallbackQuery,
  OAuthStartRequest,
  OAuthStartResponse,
  PutConnectionRequest,
  ScopeProfileResponse,
} from './dto/connection.dto';

/** The tenant admin's Salesforce connection (api.md "Connection (admin)"). */
@ApiTags('connection')
@ApiBearerAuth()
@Controller('v1/connection')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get('profiles')
  @Roles('admin')
  @ApiOperation({ summary: 'The three scope profiles and their OAuth scopes' })
  profiles(): ScopeProfileResponse[] {
    return ScopeProfileResponse.all();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Connect with client credentials or JWT bearer; the token exchange happens now' })
  connect(
    @Body() body: PutConnectionRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ConnectionResponse> {
    return this.connections.connect(caller.tenantId, body, caller);
  }

  @Post('oauth/start')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the web-server flow (PKCE); send the admin to authorizeUrl' })
  startOAuth(
    @Body() body: OAuthStartRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<OAuthStartResponse> {
    return this.connections.startOAuth(caller, body);
  }

  @Get('oauth/callback')
  @Public()
  @ApiOperation({ summary: "Salesforce's redirect back; the single-use state proves the tenant" })
  completeOAuth(@Query() query: OAuthCallbackQuery): Promise<ConnectionResponse> {
    return this.connections.completeOAuth(query);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: 'The connection: status, flow, instance, region, profile, granted scopes; never a token',
  })
  get(@CurrentTenant() caller: TenantPrincipal): Promise<ConnectionResponse> {
    return this.connections.get(caller.tenantId);
  }

  @Delete()
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the tokens at Salesforce and forget the connection' })
  disconnect(@CurrentTenant() caller: TenantPrincipal): Promise<void> {
    return this.connections.disconnect(caller.tenantId, caller);
  }
}
