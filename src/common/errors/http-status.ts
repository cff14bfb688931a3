import { AgentToolsErrorCode } from '../../modules/agent-tools/agent-tools-error-code';
import { HealthErrorCode } from '../../modules/health/health-error-code';
import { MappingErrorCode } from '../../modules/mapping/mapping-error-code';
import { OperationsErrorCode } from '../../modules/operations/operations-error-code';
import { RateLimitsErrorCode } from '../../modules/rate-limits/rate-limits-error-code';
import { SalesforceErrorCode } from '../../modules/salesforce/salesforce-error-code';
import { TenancyErrorCode } from '../../modules/tenancy/tenancy-error-code';
import { WritesErrorCode } from '../../modules/writes/writes-error-code';
import { CommonErrorCode } from './common-error-code';
import type { ErrorCode } from './error-code';

const COMMON: Record<CommonErrorCode, number> = {
  [CommonErrorCode.MalformedRequest]: 400,
  [CommonErrorCode.ValidationFailed]: 422,
  [CommonErrorCode.Unauthenticated]: 401,
  [CommonErrorCode.Forbidden]: 403,
  [CommonErrorCode.NotFound]: 404,
  [CommonErrorCode.MethodNotAllowed]: 405,
  [CommonErrorCode.Conflict]: 409,
  [CommonErrorCode.PayloadTooLarge]: 413,
  [CommonErrorCode.PathParameterTooLong]: 414,
  [CommonErrorCode.UnsupportedMediaType]: 415,
  [CommonErrorCode.UnprocessableEntity]: 422,
  [CommonErrorCode.TooManyRequests]: 429,
  [CommonErrorCode.InternalError]: 500,
  [CommonErrorCode.ServiceUnavailable]: 503,
  [CommonErrorCode.ServiceOverloaded]: 503,
  [CommonErrorCode.DatabaseUnavailable]: 503,
  [CommonErrorCode.ConsoleNotBuilt]: 503,
};

const TENANCY: Record<TenancyErrorCode, number> = {
  [TenancyErrorCode.TenantExists]: 409,
  [TenancyErrorCode.RouteNotDeclared]: 403,
  [TenancyErrorCode.ForbiddenRole]: 403,
};

const SALESFORCE: Record<SalesforceErrorCode, number> = {
  [SalesforceErrorCode.Unavailable]: 503,
  [SalesforceErrorCode.RateLimited]: 429,
  // Our upstream refused our credentials: a bad gateway, not the caller's 401.
  [SalesforceErrorCode.AuthFailed]: 502,
  [SalesforceErrorCode.Rejected]: 422,
  [SalesforceErrorCode.NotConnected]: 409,
  [SalesforceErrorCode.ReauthorizationRequired]: 409,
  [SalesforceErrorCode.ScopeInsufficient]: 403,
  [SalesforceErrorCode.ConnectFailed]: 422,
  [SalesforceErrorCode.ConnectionMissing]: 404,
  [SalesforceErrorCode.OAuthStateInvalid]: 400,
  [SalesforceErrorCode.OAuthStateExpired]: 400,
  [SalesforceErrorCode.OAuthCodeMissing]: 400,
  [SalesforceErrorCode.ScopeNotGranted]: 422,
  [SalesforceErrorCode.LoginUrlInvalid]: 422,
  [SalesforceErrorCode.MyDomainRequired]: 422,
  [SalesforceErrorCode.RegionUnknown]: 422,
  [SalesforceErrorCode.RegionNotServed]: 422,
  [SalesforceErrorCode.RegionMisdirected]: 421,
};

const MAPPING: Record<MappingErrorCode, number> = {
  [MappingErrorCode.MappingMalformed]: 400,
  [MappingErrorCode.MappingInvalid]: 422,
  [MappingErrorCode.IntentUnknown]: 422,
  [MappingErrorCode.MetadataMissing]: 404,
  [MappingErrorCode.TooManyObjects]: 422,
  [MappingErrorCode.ValueMissing]: 422,
  [MappingErrorCode.ValueTypeInvalid]: 422,
  [MappingErrorCode.ValueNotAllowed]: 422,
  [MappingErrorCode.PhoneInvalid]: 422,
};

const WRITES: Record<WritesErrorCode, number> = {
  [WritesErrorCode.CallIdInvalid]: 422,
  [WritesErrorCode.IntentInputInvalid]: 422,
  [WritesErrorCode.IdempotencyKeyInvalid]: 400,
  [WritesErrorCode.IdempotencyKeyReused]: 409,
  [WritesErrorCode.IdempotencyRequestInProgress]: 409,
  [WritesErrorCode.ApiHeadroomReserved]: 503,
  [WritesErrorCode.EarlierWritesPending]: 503,
};

const OPERATIONS: Record<OperationsErrorCode, number> = {
  [OperationsErrorCode.ReplayPlanInvalid]: 422,
};

const AGENT_TOOLS: Record<AgentToolsErrorCode, number> = {
  [AgentToolsErrorCode.ToolUnknown]: 404,
};

const HEALTH: Record<HealthErrorCode, number> = {
  [HealthErrorCode.NotReady]: 503,
};

const RATE_LIMITS: Record<RateLimitsErrorCode, number> = {
  [RateLimitsErrorCode.RateLimited]: 429,
};

/** The one table from an error code to the HTTP status it is answered with. */
const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  ...COMMON,
  ...TENANCY,
  ...SALESFORCE,
  ...MAPPING,
  ...WRITES,
  ...OPERATIONS,
  ...AGENT_TOOLS,
  ...HEALTH,
  ...RATE_LIMITS,
};

/** The HTTP status an error code is answered with (the exception filter, and answers stored for replay). */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}
