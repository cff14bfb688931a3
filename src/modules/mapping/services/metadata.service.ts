import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DescribeSObjectResult } from '@jsforce/jsforce-node';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../../common/auth/principal';
import { DomainError } from '../../../common/errors/domain-error';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { SalesforceError } from '../../salesforce/client/salesforce-error';
import { MetadataField } from '../entities/metadata-field.entity';
import { MetadataObject } from '../entities/metadata-object.entity';
import { MetadataRefreshedEvent, MappingEvents, type MetadataChange } from '../events/mapping.events';
import { type FieldMetadata, MetadataCatalog, type ObjectMetadata } from '../rules/field-metadata';
import { DEFAULT_DESCRIBED_OBJECTS } from '../rules/written-objects';
import { MappingErrorCode } from '../mapping-error-code';

const MAX_OBJECTS_PER_REFRESH = 50;
const DESCRIBE_CONCURRENCY = 8;

const COMPARED_KEYS: Array<keyof FieldMetadata> = [
  'type',
  'length',
  'createable',
  'updateable',
  'nillable',
  'defaultedOnCreate',
  'picklistValues',
  'restrictedPicklist',
  'referenceTo',
  'externalId',
];

/** Field metadata: described from the org, stored in Postgres, read back as a catalog. */
@Injectable()
export class MetadataService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly salesforce: SalesforceClient,
    private readonly events: EventEmitter2,
  ) {}

  /** Everything stored for the tenant, in one query. */
  async loadCatalog(
    tenantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MetadataCatalog> {
    const objects = await manager.find(MetadataObject, { where: { tenantId } });
    const fields = objects.length
      ? await manager
          .createQueryBuilder(MetadataField, 'field')
          .where('field.object_id IN (:...ids)', { ids: objects.map((object) => object.id) })
          .orderBy('field.name')
          .getMany()
      : [];
    const byObject = new Map<string, MetadataField[]>();
    for (const field of fields)
      byObject.set(field.objectId, [...(byObject.get(field.objectId) ?? []), field]);
    return new MetadataCatalog(
      objects.map((object) => toObjectMetadata(object, byObject.get(object.id) ?? [])),
    );
  }

  async getObject(tenantId: string, name: string): Promise<ObjectMetadata> {
    const object = (await this.loadCatalog(tenantId)).object(name);
    if (!object) {
      throw new DomainError(
        MappingErrorCode.MetadataMissing,
        `No metadata for ${name}: run POST /v1/metadata/refresh`,
      );
    }
    return object;
  }

  /**
   * Describes the named objects (or the defaults, the objects the maps use and those already stored), stores
   * what the org said, and returns the fresh metadata with every change since the last refresh.
   */
  async refresh(
    tenantId: string,
    requested: string[] | undefined,
    mapObjects: string[],
    actor: Principal,
  ): Promise<{ objects: ObjectMetadata[]; changes: MetadataChange[] }> {
    const before = await this.loadCatalog(tenantId);
    const names = dedupe(
      requested?.length
        ? requested
        : [...DEFAULT_DESCRIBED_OBJECTS, ...mapObjects, ...before.allObjects().map((o) => o.name)],
    );
    if (names.length > MAX_OBJECTS_PER_REFRESH) {
      throw new DomainError(
        MappingErrorCode.TooManyObjects,
        `At most ${MAX_OBJECTS_PER_REFRESH} objects per refresh`,
      );
    }
    const now = new Date();
    const described = await mapWithConcurrency(names, DESCRIBE_CONCURRENCY, (name) =>
      this.describe(tenantId, name, now),
    );
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`metadata:${tenantId}`]);
      for (const object of described) await this.store(manager, tenantId, object);
    });
    const changes = described.flatMap((object) => diffObject(before.object(object.name), object));
    this.events.emit(
      MappingEvents.MetadataRefreshed,
      new MetadataRefreshedEvent(
        tenantId,
        described.map((object) => object.name),
        changes,
        actor,
      ),
    );
    return { objects: described, changes };
  }

  private async describe(tenantId: string, name: string, now: Date): Promise<ObjectMetadata> {
    try {
      return fromDescribe(await this.salesforce.describeSObject(tenantId, name), now);
    } catch (error) {
      if (
        error instanceof SalesforceError &&
        ['NOT_FOUND', 'INVALID_TYPE'].includes(error.salesforceErrorCode)
      ) {
        return { name, label: name, found: false, fields: [], refreshedAt: now };
      }
      throw error;
    }
  }

  private async store(manager: EntityManager, tenantId: string, object: ObjectMetadata): Promise<void> {
    const [row] = await manager.query<Array<{ id: string }>>(
      `INSERT INTO metadata_objects (tenant_id, name, name_key, label, found, refreshed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, name_key)
       DO UPDATE SET name = EXCLUDED.name, label = EXCLUDED.label, found = EXCLUDED.found, refreshed_at = EXCLUDED.refreshed_at
       RETURNING id`,
      [tenantId, object.name, object.name.toLowerCase(), object.label, object.found, object.refreshedAt],
    );
    await manager.delete(MetadataField, { objectId: row.id });
    if (object.fields.length === 0) return;
    await manager.insert(
      MetadataField,
      object.fields.map((field) => ({ ...field, objectId: row.id })),
    );
  }
}

function toObjectMetadata(object: MetadataObject, fields: MetadataField[]): ObjectMetadata {
  return {
    name: object.name,
    label: object.label,
    found: object.found,
    refreshedAt: object.refreshedAt,
    fields: fields.map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
      length: field.length,
      createable: field.createable,
      updateable: field.updateable,
      nillable: field.nillable,
      defaultedOnCreate: field.defaultedOnCreate,
      picklistValues: field.picklistValues,
      picklistLabels: field.picklistLabels,
      defaultPicklistValue: field.defaultPicklistValue,
      restrictedPicklist: field.restrictedPicklist,
      referenceTo: field.referenceTo,
      externalId: field.externalId,
    })),
  };
}

/** jsforce types picklist entries as `any` (salesforce-rest.md §3.4 gives their shape). */
interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  value: string;
  label: string | null;
}

/** The describe answer reduced to what mapping keeps (salesforce-rest.md §3.4). */
export function fromDescribe(describe: DescribeSObjectResult, now: Date): ObjectMetadata {
  return {
    name: describe.name,
    label: describe.label,
    found: true,
    refreshedAt: now,
    fields: describe.fields.map((field) => {
      const entries = (field.picklistValues ?? []) as PicklistEntry[];
      const active = entries.filter((entry) => entry.active);
      return {
        name: field.name,
        label: field.label,
        type: field.type,
        length: field.length || null,
        createable: field.createable,
        updateable: field.updateable,
        nillable: field.nillable,
        defaultedOnCreate: field.defaultedOnCreate,
        picklistValues: active.map((entry) => entry.value),
        picklistLabels: active.map((entry) => entry.label ?? entry.value),
        defaultPicklistValue: active.find((entry) => entry.defaultValue)?.value ?? null,
        restrictedPicklist: field.restrictedPicklist,
        referenceTo: (field.referenceTo ?? []).filter((name): name is string => typeof name === 'string'),
        externalId: field.externalId,
      };
    }),
  };
}

/** What changed in one object between two refreshes (what drift is made of). */
export function diffObject(before: ObjectMetadata | undefined, after: ObjectMetadata): MetadataChange[] {
  if (!before) return [];
  if (before.found !== after.found) {
    return [{ object: after.name, change: after.found ? 'object-found' : 'object-lost' }];
  }
  const old = new Map(before.fields.map((field) => [field.name, field]));
  const fresh = new Map(after.fields.map((field) => [field.name, field]));
  const changes: MetadataChange[] = [];
  for (const [name, field] of fresh) {
    const previous = old.get(name);
    if (!previous) {
      changes.push({ object: after.name, field: name, change: 'added' });
      continue;
    }
    const keys = COMPARED_KEYS.filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(field[key]));
    if (keys.length) changes.push({ object: after.name, field: name, change: 'changed', keys });
  }
  for (const name of old.keys()) {
    if (!fresh.has(name)) changes.push({ object: after.name, field: name, change: 'removed' });
  }
  return changes;
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
