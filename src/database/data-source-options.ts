import type { DataSourceOptions } from 'typeorm';
import { DeadLetter } from '../modules/operations/entities/dead-letter.entity';
import { AuditEntry } from '../modules/audit/entities/audit-entry.entity';
import { OAuthState } from '../modules/salesforce/entities/oauth-state.entity';
import { SalesforceConnection } from '../modules/salesforce/entities/salesforce-connection.entity';
import { IntentMapVersion } from '../modules/mapping/entities/intent-map-version.entity';
import { IntentMap } from '../modules/mapping/entities/intent-map.entity';
import { MetadataField } from '../modules/mapping/entities/metadata-field.entity';
import { MetadataObject } from '../modules/mapping/entities/metadata-object.entity';
import { ApiKey } from '../modules/tenancy/entities/api-key.entity';
import { Tenant } from '../modules/tenancy/entities/tenant.entity';
import { WriteAttempt } from '../modules/writes/entities/write-attempt.entity';
import { Write } from '../modules/writes/entities/write.entity';
import { CreateTenancy1764000000000 } from './migrations/1764000000000-create-tenancy';
import { CreateSalesforceConnections1764000001000 } from './migrations/1764000001000-create-salesforce-connections';
import { CreateMapping1764000002000 } from './migrations/1764000002000-create-mapping';
import { CreateAuditLog1764000003000 } from './migrations/1764000003000-create-audit-log';
import { CreateWrites1764000004000 } from './migrations/1764000004000-create-writes';
import { CreateDeadLetters1764000005000 } from './migrations/1764000005000-create-dead-letters';
import { AddPicklistLabels1764000006000 } from './migrations/1764000006000-add-picklist-labels';
import { IndexWritesByTenantAndTime1764000011000 } from './migrations/1764000011000-index-writes-by-tenant-and-time';
import { CreateAuditJournal1764000012000 } from './migrations/1764000012000-create-audit-journal';
import { DEFAULT_DB_POOL_MAX } from '../config/database.config';

/** Every entity and migration, listed explicitly so ts-node, dist and Jest all load the same set. */
export const ENTITIES = [
  Tenant,
  ApiKey,
  AuditEntry,
  SalesforceConnection,
  OAuthState,
  MetadataObject,
  MetadataField,
  IntentMap,
  IntentMapVersion,
  Write,
  WriteAttempt,
  DeadLetter,
];
export const MIGRATIONS = [
  CreateTenancy1764000000000,
  CreateSalesforceConnections1764000001000,
  CreateMapping1764000002000,
  CreateAuditLog1764000003000,
  CreateWrites1764000004000,
  CreateDeadLetters1764000005000,
  AddPicklistLabels1764000006000,
  IndexWritesByTenantAndTime1764000011000,
  CreateAuditJournal1764000012000,
];

export function buildDataSourceOptions(url: string, poolMax = DEFAULT_DB_POOL_MAX): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolMax, connectionTimeoutMillis: 5000 },
  };
}
