import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObject } from '../../../common/http/nested-object';
import { WRITE_STATUSES, type Write, type WriteStatus } from '../entities/write.entity';

/** Call ids travel in URLs and become part of Salesforce external ids (`tenant:call`). */
export const CALL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const CALL_ID_MESSAGE =
  'callId must be 1-128 letters, digits, _ . : or -, starting with a letter or digit';

export class LookupQuery {
  @ApiProperty({ example: '+14155551212', description: 'E.164, or national in DEFAULT_PHONE_REGION' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional({
    description:
      'The call this lookup belongs to (or header X-Call-Id): the answer is cached for the call, and its match becomes the record later intents of the call update',
  })
  @IsOptional()
  @Matches(CALL_ID_PATTERN, { message: CALL_ID_MESSAGE })
  callId?: string;
}

export class LookupMatchView {
  @ApiProperty({ enum: ['Contact', 'Lead', 'Account'] }) object: string;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() accountId?: string;
  @ApiPropertyOptional() ownerId?: string;
}

export class LookupDegradation {
  @ApiProperty({ enum: ['sosl', 'soql'], description: 'the half whose matches the answer holds' })
  answeredBy: string;
  @ApiProperty({ enum: ['sosl', 'soql'], description: 'the half that failed' }) failed: string;
  @ApiProperty() errorCode: string;
  @ApiProperty() message: string;
}

export class LookupResponse {
  @ApiProperty({ type: [LookupMatchView] }) matches: LookupMatchView[];
  @ApiProperty({ enum: ['sosl', 'soql', 'sosl+soql', 'none', 'cache'] }) source: string;
  @ApiPropertyOptional({ description: 'The number looked up, E.164' }) phone?: string;
  @ApiPropertyOptional({
    type: LookupDegradation,
    description:
      'Present when one half failed: SOSL (any stored spelling, ~15 min index lag) or the SOQL fallback (exact formats, immediate); matches may be missing',
  })
  degraded?: LookupDegradation;
}

export class CallerInput {
  @ApiProperty({ example: '+14155551212' })
  @IsDefined({ message: 'caller.phone is required' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  phone: string;

  @ApiPropertyOptional({ example: 'Jane' }) @IsOptional() @IsString() @MaxLength(40) firstName?: string;
  @ApiPropertyOptional({ example: 'Doe' }) @IsOptional() @IsString() @MaxLength(80) lastName?: string;
  @ApiPropertyOptional({ example: 'jane@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(80)
  email?: string;
  @ApiPropertyOptional({ example: 'Acme' }) @IsOptional() @IsString() @MaxLength(255) company?: string;
}

export class IntentRequest {
  @ApiProperty({ example: 'demo_requested' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  intent: string;

  @ApiPropertyOptional({
    description: "The intent's value; its type must match the map's type hint",
    example: '2026-05-14T10:00:00Z',
  })
  @Allow()
  value?: unknown;

  @ApiProperty({ type: CallerInput })
  @IsDefined({ message: 'caller is required' })
  @NestedObject(() => CallerInput)
  caller: CallerInput;

  @ApiPropertyOptional({ description: 'Free-form facts for `$payload.<path>` targets' })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

/** A day: longer is no phone call, and Salesforce's CallDurationInSeconds is a 32-bit integer. */
const MAX_CALL_SECONDS = 86_400;

export class CompleteRequest {
  @ApiProperty() @IsString() @MaxLength(32_000) summary: string;

  @ApiProperty({ example: 312, maximum: MAX_CALL_SECONDS })
  @IsInt()
  @Min(0)
  @Max(MAX_CALL_SECONDS)
  durationSeconds: number;

  @ApiProperty({ enum: ['inbound', 'outbound'] })
  @IsIn(['inbound', 'outbound'])
  direction: 'inbound' | 'outbound';

  @ApiPropertyOptional({ example: 'Demo booked' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  disposition?: string;
}

export class WriteAcceptedResponse {
  @ApiProperty() writeId: string;
  @ApiProperty({ enum: ['written', 'queued'] }) status: string;
  @ApiPropertyOptional({
    description:
      "Record ids by object (Account, Contact, Opportunity, Lead, …): the call's known records and those written",
  })
  records?: Record<string, string>;
}

export class WriteAttemptView {
  @ApiProperty() operation: number;
  @ApiProperty({ enum: ['in-call', 'queued'] }) via: string;
  @ApiProperty({ enum: ['written', 'failed', 'refused'] }) outcome: string;
  @ApiPropertyOptional() errorClass?: string | null;
  @ApiPropertyOptional() errorCode?: string | null;
  @ApiPropertyOptional() errorMessage?: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty() startedAt: string;
}

export class WriteErrorView {
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

/** A write as the recent-writes list shows it. */
export class WriteSummaryView {
  @ApiProperty() writeId: string;
  @ApiProperty({ enum: WRITE_STATUSES }) status: string;
  @ApiProperty({ enum: ['intent', 'completion'] }) kind: string;
  @ApiProperty() callId: string;
  @ApiProperty() intent: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) mapVersion: number | null;
  @ApiPropertyOptional({ nullable: true, type: WriteErrorView }) lastError: WriteErrorView | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) writtenAt: string | null;

  static from(write: Write): WriteSummaryView {
    return {
      writeId: write.id,
      status: write.status,
      kind: write.kind,
      callId: write.callId,
      intent: write.intent,
      mapVersion: write.mapVersion,
      lastError: write.lastErrorCode ? { code: write.lastErrorCode, message: write.lastErrorMessage } : null,
      createdAt: write.createdAt.toISOString(),
      writtenAt: write.writtenAt?.toISOString() ?? null,
    };
  }
}

export class WriteView extends WriteSummaryView {
  @ApiProperty({ type: [WriteAttemptView] }) attempts: WriteAttemptView[];
  @ApiProperty({ description: 'Ids of the records this write wrote, by object' }) records: Record<
    string,
    string
  >;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Map version used' })
  mapVersionId: string | null;
  @ApiProperty() operations: number;
  @ApiProperty() operationsDone: number;
  @ApiProperty({ type: [String] }) notes: string[];
}

export class RecentWritesQuery {
  @ApiPropertyOptional({ enum: WRITE_STATUSES })
  @IsOptional()
  @IsIn(WRITE_STATUSES)
  status?: WriteStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class RecentWritesView {
  @ApiProperty({ type: [WriteSummaryView], description: 'newest first' }) writes: WriteSummaryView[];
}
