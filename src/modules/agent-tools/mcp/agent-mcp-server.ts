import { Logger } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { toErrorEnvelope } from '../../../common/errors/all-exceptions.filter';
import { CommonErrorCode } from '../../../common/errors/common-error-code';
import { DomainError } from '../../../common/errors/domain-error';
import { currentRequestId } from '../../../common/http/request-context';
import type { AgentToolsService } from '../agent-tools.service';

const logger = new Logger('AgentMcpServer');

/**
 * An MCP server for one request of one agent key: it lists the tenant's tools and calls them through the same
 * service as the REST routes. A refusal (unknown intent, bad value, Salesforce rejection) is a tool result
 * marked `isError` carrying the REST error envelope, so the model can read it and correct itself.
 */
export function createAgentMcpServer(agent: TenantPrincipal, tools: AgentToolsService): Server {
  const server = new Server(
    { name: 'aicall-salesforce-connector', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await tools.definitions(agent.tenantId)).map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.parameters as { type: 'object' },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    try {
      // The REST route's body as it is (its `status` says written or queued).
      return toolResult(await tools.call(agent, request.params.name, request.params.arguments ?? {}), false);
    } catch (error) {
      if (error instanceof DomainError) {
        return toolResult({ ...toErrorEnvelope(error), requestId: currentRequestId() }, true);
      }
      logger.error({ err: error, tool: request.params.name }, 'agent tool failed');
      const internal = new DomainError(CommonErrorCode.InternalError, 'Internal error');
      return toolResult({ ...toErrorEnvelope(internal), requestId: currentRequestId() }, true);
    }
  });
  return server;
}

function toolResult(body: Record<string, unknown>, isError: boolean): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError };
}
