import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { Roles } from '../../../common/auth/roles.decorator';
import { DomainError } from '../../../common/errors/domain-error';
import { REQUEST_ID_RESPONSE_HEADER } from '../../../common/http/request-id';
import { ServedRegionOnly } from '../../salesforce/regions/region.guard';
import { AgentToolsService } from '../agent-tools.service';
import { createAgentMcpServer } from './agent-mcp-server';
import { CommonErrorCode } from '../../../common/errors/common-error-code';

/**
 * The agent tools over MCP (streamable HTTP transport), authenticated like every agent route (the agent key
 * as bearer, checked by the global guard). Stateless: each POST carries one JSON-RPC message and gets a
 * plain JSON answer, so any API instance can serve any request; there is no session and no server stream.
 */
@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/mcp')
export class McpController {
  constructor(private readonly tools: AgentToolsService) {}

  @Post()
  @Roles('agent')
  @ServedRegionOnly()
  @ApiOperation({
    summary: 'MCP endpoint (streamable HTTP, stateless): tools lookup_caller, record_intent, complete_call',
  })
  async handle(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentTenant() agent: TenantPrincipal,
  ): Promise<void> {
    const server = createAgentMcpServer(agent, this.tools);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    // The SDK writes the Node response itself; Fastify must not send one of its own.
    reply.hijack();
    reply.raw.setHeader(REQUEST_ID_RESPONSE_HEADER, request.id);
    reply.raw.on('close', () => void server.close());
    await transport.handleRequest(request.raw, reply.raw, request.body);
  }

  @Get()
  @Delete()
  @Roles('agent')
  @ApiResponse({ status: 405, description: 'Stateless endpoint: no server stream, no session to end' })
  refuse(@Res({ passthrough: true }) reply: FastifyReply): never {
    void reply.header('Allow', 'POST');
    throw new DomainError(
      CommonErrorCode.MethodNotAllowed,
      'This MCP endpoint is stateless: POST JSON-RPC messages',
    );
  }
}
