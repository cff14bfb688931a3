import { Injectable, type Type } from '@nestjs/common';
import type { TenantPrincipal } from '../../common/auth/principal';
import { DomainError } from '../../common/errors/domain-error';
import { createValidationPipe } from '../../common/http/validation.pipe';
import { WritePlansService } from '../mapping';
import {
  CALL_ID_MESSAGE,
  CALL_ID_PATTERN,
  CompleteRequest,
  IntentRequest,
  LookupQuery,
} from '../writes/dto/writes.dto';
import { LookupService } from '../writes/lookup/lookup.service';
import { IntentWritesService } from '../writes/services/intent-writes.service';
import { type AgentToolDefinition, AgentToolName, buildAgentTools } from './agent-tool-definitions';
import { WritesErrorCode } from '../writes/writes-error-code';
import { AgentToolsErrorCode } from './agent-tools-error-code';

type ToolArguments = Record<string, unknown>;

/**
 * The agent tools behind both doors (GET /v1/agent-tools describes them, the MCP endpoint calls them): each
 * call is validated by the REST route's own DTO and runs the REST route's own service, so a tool behaves
 * exactly like the route it stands for.
 */
@Injectable()
export class AgentToolsService {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly plans: WritePlansService,
    private readonly lookups: LookupService,
    private readonly writes: IntentWritesService,
  ) {}

  async definitions(tenantId: string): Promise<AgentToolDefinition[]> {
    return buildAgentTools(await this.plans.agentIntents(tenantId));
  }

  /** Runs one tool; answers the body its REST route answers, or throws the DomainError that route would. */
  async call(agent: TenantPrincipal, name: string, args: ToolArguments): Promise<Record<string, unknown>> {
    switch (name) {
      case AgentToolName.Lookup: {
        const query = await this.validated(LookupQuery, args);
        const { result } = await this.lookups.lookup(agent.tenantId, query.phone, query.callId);
        return { ...result };
      }
      case AgentToolName.Intent: {
        const { callId, idempotencyKey, ...request } = args;
        const body = await this.validated(IntentRequest, request);
        const answer = await this.writes.submitIntent(
          agent,
          checkedCallId(callId),
          body,
          checkedKey(idempotencyKey),
        );
        return answer.body as Record<string, unknown>;
      }
      case AgentToolName.Completion: {
        const { callId, idempotencyKey, ...request } = args;
        const body = await this.validated(CompleteRequest, request);
        const answer = await this.writes.submitCompletion(
          agent,
          checkedCallId(callId),
          body,
          checkedKey(idempotencyKey),
        );
        return answer.body as Record<string, unknown>;
      }
      default:
        throw new DomainError(AgentToolsErrorCode.ToolUnknown, `No tool named "${name}"`);
    }
  }

  private validated<T extends object>(dto: Type<T>, value: ToolArguments): Promise<T> {
    return this.validation.transform(value, { type: 'body', metatype: dto }) as Promise<T>;
  }
}

function checkedCallId(callId: unknown): string {
  if (typeof callId !== 'string' || !CALL_ID_PATTERN.test(callId)) {
    throw new DomainError(WritesErrorCode.CallIdInvalid, CALL_ID_MESSAGE);
  }
  return callId;
}

function checkedKey(key: unknown): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new DomainError(WritesErrorCode.IdempotencyKeyInvalid, 'idempotencyKey must be 1-255 characters');
  }
  return key;
}
