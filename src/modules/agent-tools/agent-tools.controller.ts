import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { AgentToolsResponse } from './dto/agent-tools.dto';
import { AgentToolsService } from './agent-tools.service';

@ApiTags('agent')
@ApiBearerAuth()
@Controller('v1/agent-tools')
export class AgentToolsController {
  constructor(private readonly tools: AgentToolsService) {}

  @Get()
  @Roles('agent')
  @ApiOperation({
    summary:
      "The tenant's agent tools (lookup, intent, completion) as JSON-Schema function definitions, generated from its live intent maps",
  })
  @ApiOkResponse({ type: AgentToolsResponse })
  async list(@CurrentTenant() agent: TenantPrincipal): Promise<AgentToolsResponse> {
    return { tools: await this.tools.definitions(agent.tenantId) };
  }
}
