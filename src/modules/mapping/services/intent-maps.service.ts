import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DomainError, NotFoundError, type Problem } from '../../../common/errors/domain-error';
import { ConnectionsService } from '../../salesforce/connections.service';
import { IntentMapVersion } from '../entities/intent-map-version.entity';
import { IntentMap } from '../entities/intent-map.entity';
import {
  IntentMapDeletedEvent,
  IntentMapSavedEvent,
  IntentMapsImportedEvent,
  MappingEvents,
} from '../events/mapping.events';
import type { MetadataCatalog } from '../rules/field-metadata';
import {
  CHATTER,
  DEFAULT_DUPLICATE_POLICY,
  DEFAULT_EXTERNAL_ID_FIELD,
  defaultMode,
  type IntentMapDefinition,
  type IntentMapDraft,
} from '../rules/intent-map-definition';
import { type AgentValue, agentValueOf, impliedDefault } from '../rules/implied-value';
import { parseIntentMap, parseIntentMapSet } from '../rules/intent-map-parser';
import { naturalValueType } from '../rules/type-compatibility';
import { type MappingProblem, validateIntentMap, type ValidationContext } from '../rules/validate-intent-map';
import type { IntentMapVersionRef } from '../plan/write-plan';
import { MetadataService } from './metadata.service';
import { MappingErrorCode } from '../mapping-error-code';

/** A saved version as the API shows it. */
export interface IntentMapView extends IntentMapDefinition {
  intent: string;
  version: number;
  versionId: string;
  savedAt: Date;
}

/** The live version, with what the agent may or must send (null: no value) under today's metadata. */
export interface ActiveIntentMapView extends IntentMapView {
  agentValue: AgentValue | null;
}

export interface IntentMapListItem extends ActiveIntentMapView {
  /** `broken` when the current metadata or connection would make this map fail during a call. */
  status: 'ok' | 'broken';
  drift: MappingProblem[];
}

const malformed = (problems: Problem[]) =>
  new DomainError(
    MappingErrorCode.MappingMalformed,
    problems.length === 1
      ? `${problems[0].field}: ${problems[0].message}`
      : `The mapping is malformed in ${problems.length} places`,
    problems,
  );

const invalid = (problems: MappingProblem[]) =>
  new DomainError(
    MappingErrorCode.MappingInvalid,
    problems.length === 1
      ? `${problems[0].field}: ${problems[0].message}`
      : `${problems.length} problems would make these maps fail during calls`,
    problems,
  );

export function toView(row: IntentMapVersion): IntentMapView {
  return {
    intent: row.intent,
    version: row.version,
    versionId: row.id,
    savedAt: row.createdAt,
    ...row.definition,
  };
}

function toActiveView(row: IntentMapVersion, catalog: MetadataCatalog): ActiveIntentMapView {
  return { ...toView(row), agentValue: agentValueOf(row.definition, catalog) };
}

export function toVersionRef(row: IntentMapVersion): IntentMapVersionRef {
  return { id: row.id, intent: row.intent, version: row.version, definition: row.definition };
}

/** A saved definition, fed back to validation (drift) as a draft that fixes every choice. */
const asDraft = (definition: IntentMapDefinition): IntentMapDraft => ({ ...definition });

/**
 * Intent maps: parse (400 naming the spot), validate against metadata and the connection's profile (422 with
 * one problem per bad target), and store each save as a new immutable version.
 */
@Injectable()
export class IntentMapsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metadata: MetadataService,
    private readonly connections: ConnectionsService,
    private readonly events: EventEmitter2,
  ) {}

  async validationContext(tenantId: string, catalog?: MetadataCatalog): Promise<ValidationContext> {
    const [loaded, connection] = await Promise.all([
      catalog ?? this.metadata.loadCatalog(tenantId),
      this.connections.getConnectionSummary(tenantId),
    ]);
    return { catalog: loaded, profile: connection?.profile ?? null };
  }

  async save(caller: TenantPrincipal, intent: string, body: unknown): Promise<ActiveIntentMapView> {
    const parsed = parseIntentMap(intent, body);
    if (!parsed.ok) throw malformed(parsed.problems);
    const [view] = await this.validateAndStore(caller, new Map([[intent, parsed.value]]));
    this.events.emit(
      MappingEvents.IntentMapSaved,
      new IntentMapSavedEvent(caller.tenantId, intent, view.version, view.versionId, caller),
    );
    return view;
  }

  /** All or nothing: one malformed or invalid intent and nothing is stored; every problem is listed. */
  async importSet(caller: TenantPrincipal, body: unknown): Promise<ActiveIntentMapView[]> {
    const parsed = parseIntentMapSet(body);
    if (!parsed.ok) throw malformed(parsed.problems);
    const views = await this.validateAndStore(caller, parsed.value);
    this.events.emit(
      MappingEvents.IntentMapsImported,
      new IntentMapsImportedEvent(
        caller.tenantId,
        views.map(({ intent, version, versionId }) => ({ intent, version, versionId })),
        caller,
      ),
    );
    return views;
  }

  private async validateAndStore(caller: TenantPrincipal, drafts: Map<string, IntentMapDraft>) {
    const context = await this.validationContext(caller.tenantId);
    const definitions = new Map<string, IntentMapDefinition>();
    const problems: MappingProblem[] = [];
    for (const [intent, draft] of drafts) {
      const result = validateIntentMap(intent, draft, context);
      problems.push(...result.problems);
      definitions.set(intent, result.definition);
    }
    if (problems.length) throw invalid(problems);
    const views = await this.dataSource.transaction((manager) => this.store(manager, caller, definitions));
    return views.map((view) => ({ ...view, agentValue: agentValueOf(view, context.catalog) }));
  }

  private async store(
    manager: EntityManager,
    caller: TenantPrincipal,
    definitions: Map<string, IntentMapDefinition>,
  ): Promise<IntentMapView[]> {
    const intents = [...definitions.keys()];
    // One statement for all intents; concurrent saves of one intent serialise on its row and number in turn.
    const maps = await manager.query<Array<{ id: string; intent: string; current_version: number }>>(
      `INSERT INTO intent_maps (tenant_id, intent, current_version)
       SELECT $1, intent, 1 FROM unnest($2::varchar[]) AS intent
       ON CONFLICT (tenant_id, intent)
       DO UPDATE SET current_version = intent_maps.current_version + 1, deleted_at = NULL, updated_at = now()
       RETURNING id, intent, current_version`,
      [caller.tenantId, intents],
    );
    const rows = maps.map((map) =>
      manager.create(IntentMapVersion, {
        intentMapId: map.id,
        tenantId: caller.tenantId,
        intent: map.intent,
        version: map.current_version,
        definition: definitions.get(map.intent),
        createdByKeyId: caller.keyId,
      }),
    );
    await manager.insert(IntentMapVersion, rows);
    const byIntent = new Map(rows.map((row) => [row.intent, row]));
    return intents.map((intent) => toView(byIntent.get(intent)!));
  }

  /** The current version of every live intent of the tenant. */
  async activeVersions(
    tenantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IntentMapVersion[]> {
    return manager
      .createQueryBuilder(IntentMapVersion, 'version')
      .innerJoin(
        IntentMap,
        'map',
        'map.id = version.intent_map_id AND map.current_version = version.version AND map.deleted_at IS NULL',
      )
      .where('map.tenant_id = :tenantId', { tenantId })
      .orderBy('version.intent')
      .getMany();
  }

  async activeVersion(tenantId: string, intent: string): Promise<IntentMapVersion | null> {
    return this.dataSource.manager
      .createQueryBuilder(IntentMapVersion, 'version')
      .innerJoin(
        IntentMap,
        'map',
        'map.id = version.intent_map_id AND map.current_version = version.version AND map.deleted_at IS NULL',
      )
      .where('map.tenant_id = :tenantId AND map.intent = :intent', { tenantId, intent })
      .getOne();
  }

  /** A version by id, whatever has been saved since (writes retry and replay with the version they recorded). */
  async versionById(tenantId: string, versionId: string): Promise<IntentMapVersion | null> {
    return this.dataSource.manager.findOneBy(IntentMapVersion, { id: versionId, tenantId });
  }

  /** Every live map, each checked again against today's metadata and connection: drift shows as `broken`. */
  async list(tenantId: string): Promise<IntentMapListItem[]> {
    const [versions, context] = await Promise.all([
      this.activeVersions(tenantId),
      this.validationContext(tenantId),
    ]);
    return versions.map((row) => {
      const drift = this.driftOf(row, context);
      return { ...toActiveView(row, context.catalog), status: drift.length ? 'broken' : 'ok', drift };
    });
  }

  driftOf(
    row: Pick<IntentMapVersion, 'intent' | 'definition'>,
    context: ValidationContext,
  ): MappingProblem[] {
    return validateIntentMap(row.intent, asDraft(row.definition), context).problems;
  }

  async get(tenantId: string, intent: string): Promise<ActiveIntentMapView> {
    const [row, catalog] = await Promise.all([
      this.activeVersion(tenantId, intent),
      this.metadata.loadCatalog(tenantId),
    ]);
    if (!row) throw new NotFoundError('Intent map');
    return toActiveView(row, catalog);
  }

  async versions(tenantId: string, intent: string): Promise<IntentMapView[]> {
    const map = await this.dataSource.manager.findOneBy(IntentMap, { tenantId, intent, deletedAt: IsNull() });
    if (!map) throw new NotFoundError('Intent map');
    const rows = await this.dataSource.manager.find(IntentMapVersion, {
      where: { intentMapId: map.id },
      order: { version: 'DESC' },
    });
    return rows.map(toView);
  }

  async remove(caller: TenantPrincipal, intent: string): Promise<void> {
    const map = await this.dataSource.manager.findOneBy(IntentMap, {
      tenantId: caller.tenantId,
      intent,
      deletedAt: IsNull(),
    });
    if (!map) throw new NotFoundError('Intent map');
    await this.dataSource.manager.update(
      IntentMap,
      { id: map.id, deletedAt: IsNull() },
      { deletedAt: new Date() },
    );
    this.events.emit(
      MappingEvents.IntentMapDeleted,
      new IntentMapDeletedEvent(caller.tenantId, intent, map.currentVersion, caller),
    );
  }

  /**
   * The short form (`{intent: "Object.Field"}`) wherever re-importing it gives back the same map; the full form
   * for the intents the short form cannot express (or for all of them under `format=full`).
   */
  async export(
    tenantId: string,
    format: 'short' | 'full',
  ): Promise<Record<string, string | IntentMapDefinition>> {
    const [versions, catalog] = await Promise.all([
      this.activeVersions(tenantId),
      this.metadata.loadCatalog(tenantId),
    ]);
    return Object.fromEntries(
      versions.map((row) => {
        const short = format === 'short' ? shortFormOf(row.intent, row.definition, catalog) : null;
        return [row.intent, short ?? row.definition];
      }),
    );
  }

  /** The sObjects the tenant's live maps write (refreshing metadata re-describes them). */
  async mapObjects(tenantId: string): Promise<string[]> {
    const versions = await this.activeVersions(tenantId);
    const objects = versions.flatMap((row) =>
      row.definition.targets.map((target) => target.field.split('.')[0]),
    );
    return [...new Set(objects)].filter((object) => object !== CHATTER);
  }
}

/** The short form re-imports as exactly this definition: one `$value` target with the default its field implies. */
function shortFormOf(
  intent: string,
  definition: IntentMapDefinition,
  catalog: MetadataCatalog,
): string | null {
  const [target, ...more] = definition.targets;
  if (more.length || target.value !== '$value' || definition.routing) return null;
  if ((definition.duplicates ?? DEFAULT_DUPLICATE_POLICY) !== DEFAULT_DUPLICATE_POLICY) return null;
  if (
    definition.externalIdField !== DEFAULT_EXTERNAL_ID_FIELD ||
    definition.mode !== defaultMode(definition.targets)
  ) {
    return null;
  }
  const [object, fieldName] = target.field.split('.');
  const field = catalog.field(object, fieldName);
  const natural = object === CHATTER ? 'text' : field ? naturalValueType(field) : null;
  const implied = object === CHATTER || !field ? undefined : impliedDefault(intent, field);
  if (JSON.stringify(implied) !== JSON.stringify(target.default)) return null;
  return natural === definition.valueType ? target.field : null;
}
