import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { AuditService, AuditVerification } from './audit.service';
import {
  AuditEntryResponse,
  AuditPageResponse,
  AuditQuery,
  AuditVerificationResponse,
} from './dto/audit.dto';

const DEFAULT_PAGE_SIZE = 100;

@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's audit entries, oldest first, paged by cursor" })
  @ApiOkResponse({ type: AuditPageResponse })
  async list(
    @Query() query: AuditQuery,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<AuditPageResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const entries = await this.audit.list(caller.tenantId, {
      since: query.since,
      until: query.until,
      action: query.action,
      writeId: query.writeId,
      afterSeq: query.cursor,
      limit,
    });
    const last = entries.at(-1);
    return {
      entries: entries.map((entry) => AuditEntryResponse.from(entry)),
      nextCursor: entries.length === limit && last ? String(last.seq) : null,
    };
  }

  @Get('verify')
  @ApiOperation({ summary: "Re-computes the tenant's hash chain; names the first entry that does not hold" })
  @ApiOkResponse({ type: AuditVerificationResponse })
  verify(@CurrentTenant() caller: TenantPrincipal): Promise<AuditVerification> {
    return this.audit.verify(caller.tenantId);
  }
}
