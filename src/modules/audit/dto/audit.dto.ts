import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Length, Max, MaxDate, Min, MinDate } from 'class-validator';
import { AuditEntry, toChainedRecord } from '../entities/audit-entry.entity';

/** `seq` is a Postgres integer: a cursor past it could never be a real position, and would overflow the query. */
const MAX_CURSOR = 2_147_483_647;
/** Real audit entries lie well inside this; JavaScript dates reach far past Postgres's timestamp range. */
const EARLIEST_DATE = new Date('1970-01-01T00:00:00Z');
const LATEST_DATE = new Date('9999-12-31T23:59:59.999Z');
const CURSOR_MESSAGE = 'cursor must be the nextCursor of a previous page';
const DATE_RANGE_MESSAGE = '$property must be an ISO date-time between 1970 and 9999';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'ISO date-time; entries at or after it' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(EARLIEST_DATE, { message: DATE_RANGE_MESSAGE })
  @MaxDate(LATEST_DATE, { message: DATE_RANGE_MESSAGE })
  since?: Date;

  @ApiPropertyOptional({ description: 'ISO date-time; entries before it' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(EARLIEST_DATE, { message: DATE_RANGE_MESSAGE })
  @MaxDate(LATEST_DATE, { message: DATE_RANGE_MESSAGE })
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
  @Type(() => Number)
  @IsInt({ message: CURSOR_MESSAGE })
  @Min(0, { message: CURSOR_MESSAGE })
  @Max(MAX_CURSOR, { message: CURSOR_MESSAGE })
  cursor?: number;

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
