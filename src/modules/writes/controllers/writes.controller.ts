import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { Roles } from '../../../common/auth/roles.decorator';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ServedRegionOnly } from '../../salesforce/regions/region.guard';
import { WriteView } from '../dto/writes.dto';
import { WriteOutbox } from '../services/write-outbox';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/writes')
export class WritesController {
  constructor(private readonly outbox: WriteOutbox) {}

  @Get(':writeId')
  @Roles('agent', 'admin')
  @ServedRegionOnly()
  @ApiOperation({ summary: 'One write: status, every attempt, record ids, the map version used' })
  @ApiOkResponse({ type: WriteView })
  async get(@Param('writeId') writeId: string, @CurrentTenant() caller: TenantPrincipal): Promise<WriteView> {
    const write = UUID.test(writeId) ? await this.outbox.findForTenant(caller.tenantId, writeId) : null;
    if (!write) throw new NotFoundError('Write');
    const attempts = await this.outbox.attemptsOf(write.id);
    return {
      writeId: write.id,
      status: write.status,
      kind: write.kind,
      callId: write.callId,
      intent: write.intent,
      attempts: attempts.map((attempt) => ({
        operation: attempt.operation,
        via: attempt.via,
        outcome: attempt.outcome,
        errorClass: attempt.errorClass,
        errorCode: attempt.errorCode,
        errorMessage: attempt.errorMessage,
        durationMs: attempt.durationMs,
        startedAt: attempt.startedAt.toISOString(),
      })),
      records: write.recordIds,
      mapVersionId: write.mapVersionId,
      mapVersion: write.mapVersion,
      operations: write.operations?.length ?? 0,
      operationsDone: write.operationsDone,
      notes: write.notes,
      lastError: write.lastErrorCode ? { code: write.lastErrorCode, message: write.lastErrorMessage } : null,
      createdAt: write.createdAt.toISOString(),
      writtenAt: write.writtenAt?.toISOString() ?? null,
    };
  }
}
