import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import { Roles } from '../../../common/auth/roles.decorator';
import { PreflightResponse } from '../dto/preflight.dto';
import { type PreflightReport, PreflightService } from '../services/preflight.service';

@ApiTags('preflight')
@ApiBearerAuth()
@Controller('v1/preflight')
export class PreflightController {
  constructor(private readonly preflight: PreflightService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary:
      'The go-live checklist: connection healthy, scopes cover every map, every map ok against current metadata, ' +
      'the sample call simulates cleanly, round trip to the instance (a deploy can gate on `ok`)',
  })
  @ApiOkResponse({ type: PreflightResponse })
  run(@CurrentTenant() caller: TenantPrincipal): Promise<PreflightReport> {
    return this.preflight.run(caller);
  }
}
