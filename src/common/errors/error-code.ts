import type { AgentToolsErrorCode } from '../../modules/agent-tools/agent-tools-error-code';
import type { HealthErrorCode } from '../../modules/health/health-error-code';
import type { MappingErrorCode } from '../../modules/mapping/mapping-error-code';
import type { OperationsErrorCode } from '../../modules/operations/operations-error-code';
import type { RateLimitsErrorCode } from '../../modules/rate-limits/rate-limits-error-code';
import type { SalesforceErrorCode } from '../../modules/salesforce/salesforce-error-code';
import type { TenancyErrorCode } from '../../modules/tenancy/tenancy-error-code';
import type { WritesErrorCode } from '../../modules/writes/writes-error-code';
import type { CommonErrorCode } from './common-error-code';

/**
 * Every code the API answers with: each module's string enum (`<module>-error-code.ts`). A new enum joins here
 * and in the status table (http-status.ts).
 */
export type ErrorCode =
  | CommonErrorCode
  | TenancyErrorCode
  | SalesforceErrorCode
  | MappingErrorCode
  | WritesErrorCode
  | OperationsErrorCode
  | AgentToolsErrorCode
  | HealthErrorCode
  | RateLimitsErrorCode;
