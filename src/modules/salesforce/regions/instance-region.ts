import type { TenantRegion } from '../../tenancy/entities/tenant.entity';

/**
 * Instance name prefixes per region (salesforce-rest.md §10): legacy pods (NA1, EU6, AP28) and Hyperforce
 * country codes (USA…, DEU…, JPN…). Sandbox-org instances are named like pods (NA130, EU2).
 */
const REGION_PREFIXES: ReadonlyArray<readonly [TenantRegion, readonly string[]]> = [
  ['us', ['NA', 'USA', 'US', 'CAN']],
  ['eu', ['EU', 'DEU', 'UK', 'GBR', 'FRA', 'ITA', 'SWE', 'CHE', 'IRL', 'NLD', 'ESP']],
  ['ap', ['AP', 'JPN', 'JP', 'AUS', 'AU', 'IND', 'SGP', 'KOR']],
];

/** The region of a Salesforce instance (`NA130` → us), or null when the name follows no known pattern. */
export function regionOfInstance(instanceName: string): TenantRegion | null {
  const match = /^([A-Z]+)\d+S?$/.exec(instanceName.trim().toUpperCase());
  if (!match) return null;
  const prefix = match[1];
  return REGION_PREFIXES.find(([, prefixes]) => prefixes.includes(prefix))?.[0] ?? null;
}
