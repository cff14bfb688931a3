import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { Roles } from '../../../common/auth/roles.decorator';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ServedRegionOnly } from '../../salesforce/regions/region.guard';
import { RecentWritesQuery, RecentWritesView, WriteSummaryView, WriteView } from '../dto/writes.dto';
import { WriteOutbox } from '../services/write-outbox';

const RECENT_WRITES_DEFAULT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/writes')
export class WritesController {
  constructor(private readonly outbox: WriteOutbox) {}

  @Get()
  @Roles('admin')
  @ServedRegionOnly()
  @ApiOperation({ summary: "The tenant's recent writes, newest first, optionally of one status" })
  @ApiOkResponse({ type: RecentWritesView })
  async recent(
    @Query() query: RecentWritesQuery,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<RecentWritesView> {
    const writes = await this.outbox.recentForTenant(caller.tenantId, {
      status: query.status,
      limit: query.limit ?? RECENT_WRITES_DEFAULT,
    });
    return { writes: writes.map((write) => WriteSummaryView.from(write)) };
  }

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
      ...WriteSummaryView.from(write),
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
      operations: write.operations?.length ?? 0,
      operationsDone: write.operationsDone,
      notes: write.notes,
    };
  }
}
