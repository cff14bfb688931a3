import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { Tenant, TENANT_REGIONS, TenantRegion } from '../entities/tenant.entity';

export class CreateTenantRequest {
  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: TENANT_REGIONS, description: 'The region whose deployment serves this tenant' })
  @IsIn(TENANT_REGIONS)
  region: TenantRegion;
}

export class TenantResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TENANT_REGIONS }) region: TenantRegion;
  @ApiProperty() createdAt: string;

  static from(tenant: Tenant): TenantResponse {
    return {
      id: tenant.id,
      name: tenant.name,
      region: tenant.region,
      createdAt: tenant.createdAt.toISOString(),
    };
  }
}
