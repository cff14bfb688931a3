import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../common/auth/current-principal.decorator';
import type { TenantPrincipal } from '../../common/auth/principal';
import { Roles } from '../../common/auth/roles.decorator';
import { ParseIdPipe } from '../tenancy/id.pipe';
import {
  DeadLetterDetailView,
  DeadLetterListView,
  DeadLettersQuery,
  DeadLetterView,
  ReplayAccepted,
  ReplayManyAccepted,
  ReplayManyRequest,
} from './dto/dead-letters.dto';
import { DeadLettersService } from './services/dead-letters.service';

@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's dead letters, oldest first (status=open for those waiting)" })
  @ApiOkResponse({ type: DeadLetterListView })
  async list(
    @Query() query: DeadLettersQuery,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<DeadLetterListView> {
    const deadLetters = await this.deadLetters.list(caller.tenantId, query.status);
    return { deadLetters: deadLetters.map((deadLetter) => DeadLetterView.from(deadLetter)) };
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Replays several dead letters with the current maps; replaying twice is harmless',
  })
  @ApiAcceptedResponse({ type: ReplayManyAccepted })
  async replayMany(
    @Body() body: ReplayManyRequest,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ReplayManyAccepted> {
    const outcomes = await this.deadLetters.replayMany(caller.tenantId, body.ids, caller);
    return {
      replayed: outcomes.filter((outcome) => outcome.replayed).length,
      writeIds: outcomes.map((outcome) => outcome.writeId),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its payload, map version and every attempt' })
  @ApiOkResponse({ type: DeadLetterDetailView })
  async get(
    @Param('id', new ParseIdPipe('Dead letter')) id: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<DeadLetterDetailView> {
    return DeadLetterDetailView.fromDetail(await this.deadLetters.get(caller.tenantId, id));
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Sends the write again, planned with the current map; replaying twice is harmless',
  })
  @ApiAcceptedResponse({ type: ReplayAccepted })
  async replay(
    @Param('id', new ParseIdPipe('Dead letter')) id: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ReplayAccepted> {
    const outcome = await this.deadLetters.replay(caller.tenantId, id, caller);
    return { writeId: outcome.writeId };
  }
}
