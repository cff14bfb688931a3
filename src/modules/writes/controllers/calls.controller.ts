import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { Roles } from '../../../common/auth/roles.decorator';
import { DomainError } from '../../../common/errors/domain-error';
import { ServedRegionOnly } from '../../salesforce/regions/region.guard';
import { CompleteRequest, IntentRequest, WriteAcceptedResponse } from '../dto/writes.dto';
import { IntentWritesService, type WriteAnswer } from '../services/intent-writes.service';
import { setSalesforceTiming } from './server-timing';
import { WritesErrorCode } from '../writes-error-code';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Same key and body: the first response again, nothing new written; same key, other body: 409 IDEMPOTENCY_KEY_REUSED. Scoped to the tenant; 1-255 characters.',
};

@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/calls/:callId')
export class CallsController {
  constructor(private readonly writes: IntentWritesService) {}

  @Post('intents')
  @Roles('agent')
  @ServedRegionOnly()
  @ApiOperation({
    summary:
      'Write an intent: critical intents in one /composite round trip (200), deferred ones or a missed deadline queued (202)',
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOkResponse({
    type: WriteAcceptedResponse,
    headers: { 'Server-Timing': { description: 'sf;dur=<ms>' } },
  })
  @ApiAcceptedResponse({ type: WriteAcceptedResponse })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED' })
  @ApiResponse({
    status: 422,
    description:
      'INTENT_UNKNOWN, VALUE_MISSING, VALUE_TYPE_INVALID, PHONE_INVALID, or SALESFORCE_REJECTED (root cause)',
  })
  async intent(
    @Param('callId') callId: string,
    @Body() body: IntentRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentTenant() agent: TenantPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const answer = await this.writes.submitIntent(agent, callId, body, checkedKey(idempotencyKey));
    return send(reply, answer);
  }

  @Post('complete')
  @Roles('agent')
  @ServedRegionOnly()
  @ApiOperation({
    summary:
      "End the call: answered at once; a worker logs it as a Task (TaskSubtype Call) on the caller's records",
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiAcceptedResponse({ type: WriteAcceptedResponse })
  async complete(
    @Param('callId') callId: string,
    @Body() body: CompleteRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentTenant() agent: TenantPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const answer = await this.writes.submitCompletion(agent, callId, body, checkedKey(idempotencyKey));
    return send(reply, answer);
  }
}

function checkedKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > 255) {
    throw new DomainError(WritesErrorCode.IdempotencyKeyInvalid, 'Idempotency-Key must be 1-255 characters');
  }
  return key;
}

function send(reply: FastifyReply, answer: WriteAnswer): unknown {
  setSalesforceTiming(reply, answer.salesforceMs);
  void reply.status(answer.status);
  return answer.body;
}
