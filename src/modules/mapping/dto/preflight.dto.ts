import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PREFLIGHT_CHECK_IDS, type PreflightCheckId } from '../services/preflight.service';

export class ProblemSchema {
  @ApiPropertyOptional({ description: 'the spot: a field path, an intent, a step' }) field?: string;
  @ApiPropertyOptional() code?: string;
  @ApiProperty() message: string;
}

export class PreflightCheckResponse {
  @ApiProperty({ enum: PREFLIGHT_CHECK_IDS }) id: PreflightCheckId;
  @ApiProperty() ok: boolean;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [ProblemSchema] }) problems: ProblemSchema[];
}

export class ApiUsageSchema {
  @ApiProperty() used: number;
  @ApiProperty() limit: number;
}

export class PreflightResponse {
  @ApiProperty({ description: 'true when every check passes: ready to take live calls' }) ok: boolean;
  @ApiProperty() checkedAt: string;
  @ApiProperty({ type: [PreflightCheckResponse] }) checks: PreflightCheckResponse[];
  @ApiProperty({ nullable: true, type: Number, description: 'median round trip to the instance' })
  roundTripMs: number | null;
  @ApiProperty({ description: 'a third of CRITICAL_WRITE_DEADLINE_MS' }) roundTripBudgetMs: number;
  @ApiProperty({ nullable: true, type: ApiUsageSchema, description: 'daily API requests (DailyApiRequests)' })
  apiUsage: ApiUsageSchema | null;
}
