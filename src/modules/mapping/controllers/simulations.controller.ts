import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import { Roles } from '../../../common/auth/roles.decorator';
import { SimulationRequest } from '../dto/mapping.dto';
import { type SimulationResult, SimulationsService } from '../services/simulations.service';

@ApiTags('mappings')
@ApiBearerAuth()
@Controller('v1/simulations')
export class SimulationsController {
  constructor(private readonly simulations: SimulationsService) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Dry-run a call script: every Salesforce request each step would send, and its problems; writes nothing',
  })
  simulate(
    @Body() body: SimulationRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<SimulationResult> {
    return this.simulations.simulate(caller, body);
  }
}
