import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import { Roles } from '../../../common/auth/roles.decorator';
import { SampleScriptResponse, SimulationRequest, SimulationResponse } from '../dto/mapping.dto';
import { PreflightService } from '../services/preflight.service';
import { type SimulationResult, SimulationsService } from '../services/simulations.service';

@ApiTags('mappings')
@ApiBearerAuth()
@Controller('v1/simulations')
export class SimulationsController {
  constructor(
    private readonly simulations: SimulationsService,
    private readonly preflight: PreflightService,
  ) {}

  @Get('sample')
  @Roles('admin')
  @ApiOperation({ summary: 'The sample call with the full happy-path script, built from the live maps' })
  @ApiOkResponse({ type: SampleScriptResponse })
  async sample(@CurrentTenant() caller: TenantPrincipal): Promise<SampleScriptResponse> {
    return { script: await this.preflight.sampleScript(caller.tenantId) };
  }

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Dry-run a call script: every Salesforce request each step would send, and its problems; writes nothing',
  })
  @ApiOkResponse({ type: SimulationResponse })
  simulate(
    @Body() body: SimulationRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<SimulationResult> {
    return this.simulations.simulate(caller, body);
  }
}
