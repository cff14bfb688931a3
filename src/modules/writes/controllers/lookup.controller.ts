import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { Roles } from '../../../common/auth/roles.decorator';
import { DomainError } from '../../../common/errors/domain-error';
import { ServedRegionOnly } from '../../salesforce/regions/region.guard';
import { CALL_ID_MESSAGE, CALL_ID_PATTERN, LookupQuery, LookupResponse } from '../dto/writes.dto';
import type { LookupResult } from '../lookup/lookup-request';
import { LookupService } from '../lookup/lookup.service';
import { setSalesforceTiming } from './server-timing';
import { WritesErrorCode } from '../writes-error-code';

@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/lookup')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Get()
  @Roles('agent')
  @ServedRegionOnly()
  @ApiOperation({
    summary:
      'Who is calling: Contacts, Leads (not converted) and Accounts by phone, in one Salesforce round trip (none when cached for the call)',
  })
  @ApiHeader({ name: 'X-Call-Id', required: false, description: 'Same as the callId query parameter' })
  @ApiOkResponse({ type: LookupResponse, headers: { 'Server-Timing': { description: 'sf;dur=<ms>' } } })
  async lookup(
    @Query() query: LookupQuery,
    @Headers('x-call-id') callIdHeader: string | undefined,
    @CurrentTenant() agent: TenantPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LookupResult> {
    const callId = query.callId ?? callIdHeader;
    if (callId !== undefined && !CALL_ID_PATTERN.test(callId)) {
      throw new DomainError(WritesErrorCode.CallIdInvalid, CALL_ID_MESSAGE);
    }
    const { result, salesforceMs } = await this.lookups.lookup(agent.tenantId, query.phone, callId);
    setSalesforceTiming(reply, salesforceMs);
    return result;
  }
}
