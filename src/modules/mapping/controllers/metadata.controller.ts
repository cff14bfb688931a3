import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { CurrentTenant } from '../../../common/auth/current-principal.decorator';
import { Roles } from '../../../common/auth/roles.decorator';
import { ObjectMetadataResponse, RefreshMetadataRequest, RefreshMetadataResponse } from '../dto/metadata.dto';
import type { ObjectMetadata } from '../rules/field-metadata';
import { MappingAdminService } from '../services/mapping-admin.service';
import { MetadataService } from '../services/metadata.service';

@ApiTags('metadata')
@ApiBearerAuth()
@Controller('v1/metadata')
export class MetadataController {
  constructor(
    private readonly admin: MappingAdminService,
    private readonly metadata: MetadataService,
  ) {}

  @Post('refresh')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Describe objects in the org, store their field metadata, and report drift' })
  @ApiOkResponse({ type: RefreshMetadataResponse })
  refresh(@Body() body: RefreshMetadataRequest, @CurrentTenant() caller: TenantPrincipal) {
    return this.admin.refreshMetadata(caller, body.objects);
  }

  @Get('objects')
  @Roles('admin')
  @ApiOperation({ summary: 'Every stored object with its fields (what the field picker searches)' })
  @ApiOkResponse({ type: [ObjectMetadataResponse] })
  async listObjects(@CurrentTenant() caller: TenantPrincipal): Promise<ObjectMetadata[]> {
    return (await this.metadata.loadCatalog(caller.tenantId)).allObjects();
  }

  @Get('objects/:object')
  @Roles('admin')
  @ApiOperation({ summary: 'The stored field metadata of one object' })
  @ApiOkResponse({ type: ObjectMetadataResponse })
  getObject(
    @Param('object') object: string,
    @CurrentTenant() caller: TenantPrincipal,
  ): Promise<ObjectMetadata> {
    return this.metadata.getObject(caller.tenantId, object);
  }
}
