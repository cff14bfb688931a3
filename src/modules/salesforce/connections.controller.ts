import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../common/auth/principal';
import { Public, Roles } from '../../common/auth/roles.decorator';
import { DomainError } from '../../common/errors/domain-error';
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
  @ApiOkResponse({ type: [ScopeProfileResponse] })
  profiles(): ScopeProfileResponse[] {
    return ScopeProfileResponse.all();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Connect with client credentials or JWT bearer; the token exchange happens now' })
  @ApiOkResponse({ type: ConnectionResponse })
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
  @ApiOkResponse({ type: OAuthStartResponse })
  startOAuth(
    @Body() body: OAuthStartRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<OAuthStartResponse> {
    return this.connections.startOAuth(caller, body);
  }

  @Get('oauth/callback')
  @Public()
  @ApiOperation({
    summary: "Salesforce's redirect back; the single-use state proves the tenant",
    description:
      'A browser (Accept: text/html) is sent back to the admin console with the outcome ' +
      '(/console/connection?oauth=connected, or oauth=failed&code=&message=&requestId=); other clients get JSON.',
  })
  @ApiOkResponse({ type: ConnectionResponse })
  async completeOAuth(
    @Query() query: OAuthCallbackQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConnectionResponse | undefined> {
    if (!request.headers.accept?.includes('text/html')) return this.connections.completeOAuth(query);
    const outcome = new URLSearchParams();
    try {
      await this.connections.completeOAuth(query);
      outcome.set('oauth', 'connected');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome.set('oauth', 'failed');
      outcome.set('code', error.code);
      outcome.set('message', error.message);
      outcome.set('requestId', request.id);
    }
    // Same origin as the console, so a relative location: no configured base URL to get wrong.
    void reply.redirect(`/console/connection?${outcome.toString()}`, 303);
    return undefined;
  }

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: 'The connection: status, flow, instance, region, profile, granted scopes; never a token',
  })
  @ApiOkResponse({ type: ConnectionResponse })
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
