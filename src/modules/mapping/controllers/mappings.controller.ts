import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import { Roles } from '../../../common/auth/roles.decorator';
import {
  ActiveIntentMapResponse,
  AutoMapRequest,
  AutoMapResponse,
  ExportQuery,
  ImportMappingsResponse,
  IntentMapFullFormSchema,
  IntentMapListItemResponse,
  IntentMapResponse,
} from '../dto/mapping.dto';
import type { AutoMapResult } from '../rules/auto-map';
import {
  type ActiveIntentMapView,
  IntentMapsService,
  type IntentMapListItem,
  type IntentMapView,
} from '../services/intent-maps.service';
import { MappingAdminService } from '../services/mapping-admin.service';

@ApiTags('mappings')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/mappings')
export class MappingsController {
  constructor(
    private readonly maps: IntentMapsService,
    private readonly admin: MappingAdminService,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Every live intent map, each flagged when metadata drift breaks it' })
  @ApiOkResponse({ type: [IntentMapListItemResponse] })
  list(@CurrentTenant() caller: TenantPrincipal): Promise<IntentMapListItem[]> {
    return this.maps.list(caller.tenantId);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({
    summary: 'Import a set of intent maps, all or nothing',
    description:
      'Short form {"intent": "Object.Field"} or {"intent": fullForm}, mixed freely. Intents not named are left as they are. 400 lists every malformed spot; 422 every problem of every intent; nothing is saved unless all pass.',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ type: ImportMappingsResponse })
  async importSet(@Body() body: unknown, @CurrentTenant() caller: TenantPrincipal) {
    const intents = await this.maps.importSet(caller, body);
    return { count: intents.length, intents };
  }

  @Get('export')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Export the live maps: short form where it says everything, full form otherwise or under ?format=full',
    description:
      'The full form is the resolved one (a short form shows the default its field implies) and re-imports as is; GET /v1/mappings says per intent what the agent must send.',
  })
  export(@Query() query: ExportQuery, @CurrentTenant() caller: TenantPrincipal) {
    return this.maps.export(caller.tenantId, query.format ?? 'short');
  }

  @Post('auto-map')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Propose targets for fields with type hints, by normalised API name and type' })
  @ApiOkResponse({ type: AutoMapResponse })
  autoMap(@Body() body: AutoMapRequest, @CurrentTenant() caller: TenantPrincipal): Promise<AutoMapResult> {
    return this.admin.autoMap(caller.tenantId, body.fields, body.objects);
  }

  @Put(':intent')
  @Roles('admin')
  @ApiOperation({ summary: 'Save one intent map (full or short form) as a new version' })
  @ApiBody({ type: IntentMapFullFormSchema })
  @ApiOkResponse({ type: ActiveIntentMapResponse })
  save(
    @Param('intent') intent: string,
    @Body() body: unknown,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ActiveIntentMapView> {
    return this.maps.save(caller, intent, body);
  }

  @Get(':intent')
  @Roles('admin')
  @ApiOkResponse({ type: ActiveIntentMapResponse })
  get(
    @Param('intent') intent: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ActiveIntentMapView> {
    return this.maps.get(caller.tenantId, intent);
  }

  @Get(':intent/versions')
  @Roles('admin')
  @ApiOperation({ summary: 'Every saved version of an intent, newest first' })
  @ApiOkResponse({ type: [IntentMapResponse] })
  versions(
    @Param('intent') intent: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<IntentMapView[]> {
    return this.maps.versions(caller.tenantId, intent);
  }

  @Delete(':intent')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete an intent map (its versions stay: writes refer to them)' })
  remove(@Param('intent') intent: string, @CurrentTenant() caller: TenantPrincipal): Promise<void> {
    return this.maps.remove(caller, intent);
  }
}
