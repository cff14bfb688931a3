import type { OrgRuntime } from '../org/org-runtime';
import type { QueryObjectInfo, QuerySchema } from '../query';
import type { SObjectType } from '../schema/sobject-type';
import { normalizeId } from '../store/ids';

const queryInfoCache = new WeakMap<SObjectType, { revision: number; info: QueryObjectInfo }>();

function queryInfo(type: SObjectType): QueryObjectInfo {
  const cached = queryInfoCache.get(type);
  if (cached?.revision === type.revision) return cached.info;
  const info: QueryObjectInfo = {
    name: type.name,
    fields: type.fields.map((f) => ({
      name: f.name,
      type: f.type,
      relationshipName: f.relationshipName,
      referenceTo: f.referenceTo,
    })),
  };
  queryInfoCache.set(type, { revision: type.revision, info });
  return info;
}

/** The query engine's view of one org: describe, live records, and the lagging search index. */
export function orgQuerySchema(org: OrgRuntime, apiVersion: string): QuerySchema {
  return {
    apiVersion,
    describe: (objectName) => {
      const type = org.schema.object(objectName);
      return type ? queryInfo(type) : undefined;
    },
    records: (objectName) => org.store.records(org.schema.object(objectName)?.name ?? objectName),
    // Salesforce indexes writes for search asynchronously (§4.2): hide records newer than the lag.
    searchableRecords: (objectName) =>
      org.store.recordsWrittenBefore(
        org.schema.object(objectName)?.name ?? objectName,
        Date.now() - org.settings.searchIndexLagMs,
      ),
    findById: (id) => {
      const normalized = normalizeId(id);
      return normalized ? org.store.get(normalized) : undefined;
    },
  };
}
