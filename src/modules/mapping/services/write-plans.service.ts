import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { ExpiringCache } from '../../../common/cache/expiring-cache';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { MappingEvents, type MetadataRefreshedEvent } from '../events/mapping.events';
import { buildWritePlan } from '../plan/build-write-plan';
import type { IntentMapVersionRef, WritePlan, WritePlanInput } from '../plan/write-plan';
import { type AgentIntent, describeAgentIntent } from '../rules/agent-intent';
import type { MetadataCatalog } from '../rules/field-metadata';
import { IntentMapsService, toVersionRef } from './intent-maps.service';
import { MetadataService } from './metadata.service';
import { MappingErrorCode } from '../mapping-error-code';

/** What the write path gives per intent; the service adds the tenant, the API version and the map. */
export type IntentWriteInput = Omit<WritePlanInput, 'tenantId' | 'apiVersion'>;

/**
 * Metadata changes rarely and is read on every write: each process keeps it a few seconds (one load shared by
 * the requests arriving as it expires), forgotten at once when this process refreshes the tenant's metadata.
 */
const CATALOG_TTL_MS = 5_000;

/**
 * The write path's door into mapping: it loads the tenant's map version and field metadata and calls
 * `buildWritePlan`, the same function simulations call, so a simulation can never disagree with a real call.
 */
@Injectable()
export class WritePlansService {
  private readonly apiVersion: string;
  private readonly catalogs = new ExpiringCache<MetadataCatalog>({
    ttlMs: CATALOG_TTL_MS,
    // A metadata refresh in this process drops the entry; a call never waits for a periodic reload.
    serveStaleWhileReloading: true,
  });

  constructor(
    private readonly maps: IntentMapsService,
    private readonly metadata: MetadataService,
    config: ConfigService,
  ) {
    this.apiVersion = config.get<SalesforceConfig>('salesforce')?.apiVersion ?? '62.0';
  }

  /** The current version of an intent, or 422 INTENT_UNKNOWN (what the agent API answers). */
  async activeVersion(tenantId: string, intent: string): Promise<IntentMapVersionRef> {
    const row = await this.maps.activeVersion(tenantId, intent);
    if (!row) throw new DomainError(MappingErrorCode.IntentUnknown, `No intent map for "${intent}"`);
    return toVersionRef(row);
  }

  /** A recorded version (retries and replays re-plan with the version the write first used). */
  async versionById(tenantId: string, versionId: string): Promise<IntentMapVersionRef> {
    const row = await this.maps.versionById(tenantId, versionId);
    if (!row) throw new NotFoundError('Intent map version');
    return toVersionRef(row);
  }

  /** Plan one intent of one call with the intent's current map version. */
  async planIntent(tenantId: string, intent: string, input: IntentWriteInput): Promise<WritePlan> {
    const version = await this.activeVersion(tenantId, intent);
    return this.planWithVersion(tenantId, version, input);
  }

  /** Plan with a given version (from `activeVersion`, `versionById`, or one already recorded by the write). */
  async planWithVersion(
    tenantId: string,
    version: IntentMapVersionRef,
    input: IntentWriteInput,
  ): Promise<WritePlan> {
    const catalog = await this.catalog(tenantId);
    return buildWritePlan(version, catalog, { ...input, tenantId, apiVersion: this.apiVersion });
  }

  /**
   * Every live intent of the tenant as an agent sees it (agent tools), read from the current saved versions
   * without a cache, so a map saved a moment ago is offered at once.
   */
  async agentIntents(tenantId: string): Promise<AgentIntent[]> {
    const [versions, catalog] = await Promise.all([
      this.maps.activeVersions(tenantId),
      this.catalog(tenantId),
    ]);
    return versions.map((row) => describeAgentIntent(row.intent, row.definition, catalog));
  }

  get salesforceApiVersion(): string {
    return this.apiVersion;
  }

  catalog(tenantId: string): Promise<MetadataCatalog> {
    return this.catalogs.get(tenantId, () => this.metadata.loadCatalog(tenantId));
  }

  @OnEvent(MappingEvents.MetadataRefreshed)
  forgetCatalog(event: MetadataRefreshedEvent): void {
    this.catalogs.delete(event.tenantId);
  }
}
