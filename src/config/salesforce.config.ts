import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TENANT_REGIONS, type TenantRegion } from '../modules/tenancy/entities/tenant.entity';

const REGION_LIST = new RegExp(`^(${TENANT_REGIONS.join('|')})(,(${TENANT_REGIONS.join('|')}))*$`);

export class SalesforceEnvironment {
  /** Every call names this version; jsforce's own default (50.0) is never used. */
  @IsOptional()
  @Matches(/^\d{2,3}\.0$/, { message: 'SALESFORCE_API_VERSION must look like 62.0' })
  SALESFORCE_API_VERSION?: string;

  @IsOptional()
  @Matches(REGION_LIST, {
    message: `DEPLOYMENT_REGIONS must be a comma-separated list of ${TENANT_REGIONS.join(', ')}`,
  })
  DEPLOYMENT_REGIONS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(120_000)
  SALESFORCE_CALL_DEADLINE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SALESFORCE_TOKEN_DEADLINE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  SALESFORCE_POOL_CONNECTIONS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(64)
  SALESFORCE_POOL_WARM_SOCKETS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  SALESFORCE_REFRESH_BUDGET?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SALESFORCE_REFRESH_BUDGET_WINDOW_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(3600)
  SALESFORCE_OAUTH_STATE_TTL_SECONDS?: number;

  @IsOptional()
  @Matches(/^$|^[A-Za-z0-9.-]+(,[A-Za-z0-9.-]+)*$/, {
    message: 'SALESFORCE_LOGIN_HOSTS_ALLOWED must be a comma-separated list of host names',
  })
  SALESFORCE_LOGIN_HOSTS_ALLOWED?: string;
}

/** Besides Salesforce's own hosts, development and tests allow the loopback sandbox org; production nothing. */
function loginHostsAllowed(): string[] {
  const fallback = process.env.NODE_ENV === 'production' ? '' : '127.0.0.1,localhost';
  return (process.env.SALESFORCE_LOGIN_HOSTS_ALLOWED ?? fallback)
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);
}

const numberOr = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);

export const salesforceConfig = registerAs('salesforce', () => ({
  apiVersion: process.env.SALESFORCE_API_VERSION ?? '62.0',
  deploymentRegions: (process.env.DEPLOYMENT_REGIONS ?? TENANT_REGIONS.join(','))
    .split(',')
    .map((region) => region.trim()) as TenantRegion[],
  callDeadlineMs: numberOr(process.env.SALESFORCE_CALL_DEADLINE_MS, 10_000),
  tokenDeadlineMs: numberOr(process.env.SALESFORCE_TOKEN_DEADLINE_MS, 10_000),
  poolConnections: numberOr(process.env.SALESFORCE_POOL_CONNECTIONS, 32),
  poolWarmSockets: numberOr(process.env.SALESFORCE_POOL_WARM_SOCKETS, 2),
  refreshBudget: numberOr(process.env.SALESFORCE_REFRESH_BUDGET, 5),
  refreshBudgetWindowMs: numberOr(process.env.SALESFORCE_REFRESH_BUDGET_WINDOW_MS, 60_000),
  oauthStateTtlSeconds: numberOr(process.env.SALESFORCE_OAUTH_STATE_TTL_SECONDS, 600),
  loginHostsAllowed: loginHostsAllowed(),
}));
export type SalesforceConfig = ReturnType<typeof salesforceConfig>;
