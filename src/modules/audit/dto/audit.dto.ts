import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { AuditEntry, toChainedRecord } from '../entities/audit-entry.entity';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'ISO date-time; entries at or after it' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ description: 'ISO date-time; entries before it' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;

  @ApiPropertyOptional({ example: 'tenancy.api-key.revoked' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  writeId?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AuditEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty() seq: number;
  @ApiProperty() action: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) actor: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectType: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectId: string | null;
  @ApiProperty() details: Record<string, unknown>;
  @ApiProperty() occurredAt: string;
  @ApiProperty() hash: string;

  static from(entry: AuditEntry): AuditEntryResponse {
    const { tenantId: _tenantId, prevHash: _prevHash, ...shown } = toChainedRecord(entry);
    return { id: entry.id, ...shown };
  }
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] }) entries: AuditEntryResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'pass as cursor for the next page; null at the end',
  })
  nextCursor: string | null;
}

export class AuditVerificationResponse {
  @ApiProperty({ description: 'true when every entry hashes to what the next one recorded' }) ok: boolean;
  @ApiProperty({ description: 'entries checked' }) entries: number;
  @ApiPropertyOptional({ description: 'the first entry that does not hold, when ok is false' })
  firstBadId?: string;
}
