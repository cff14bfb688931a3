import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiKey, TENANT_KEY_ROLES, TenantKeyRole } from '../entities/api-key.entity';

export class CreateApiKeyRequest {
  @ApiProperty({ enum: TENANT_KEY_ROLES })
  @IsIn(TENANT_KEY_ROLES)
  role: TenantKeyRole;

  @ApiPropertyOptional({ example: 'voice agent, production', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  label?: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: TENANT_KEY_ROLES }) role: TenantKeyRole;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart' }) keyPrefix: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;

  static from(apiKey: ApiKey): ApiKeyResponse {
    return {
      id: apiKey.id,
      role: apiKey.role,
      label: apiKey.label,
      keyPrefix: apiKey.keyPrefix,
      createdAt: apiKey.createdAt.toISOString(),
      revokedAt: apiKey.revokedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The secret key. Shown this once; only its hash is stored.' })
  key: string;
}
