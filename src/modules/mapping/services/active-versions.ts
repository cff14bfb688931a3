import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ExpiringCache } from '../../../common/cache/expiring-cache';
import { DomainError } from '../../../common/errors/domain-error';
import { MappingEvents } from '../events/mapping.events';
import type { IntentMapVersionRef } from '../plan/write-plan';
import { IntentMapsService, toVersionRef } from './intent-maps.service';
import { MappingErrorCode } from '../mapping-error-code';

/** Maps change rarely and are read on every write: each process keeps the active version a few seconds. */
const VERSION_TTL_MS = 5_000;

interface TenantScoped {
  tenantId: string;
}

/** The active map version of each intent, cached briefly per process and forgotten when this process saves maps. */
@Injectable()
export class ActiveVersions {
  /** A refusal (INTENT_UNKNOWN) is not kept: the admin may be saving the map right now. */
  private readonly cache = new ExpiringCache<IntentMapVersionRef>({ ttlMs: VERSION_TTL_MS });

  constructor(private readonly maps: IntentMapsService) {}

  /** The current version of an intent, or 422 INTENT_UNKNOWN (what the agent API answers). */
  get(tenantId: string, intent: string): Promise<IntentMapVersionRef> {
    return this.cache.get(`${tenantId}\u0000${intent}`, async () => {
      const row = await this.maps.activeVersion(tenantId, intent);
      if (!row) throw new DomainError(MappingErrorCode.IntentUnknown, `No intent map for "${intent}"`);
      return toVersionRef(row);
    });
  }

  /** Null instead of INTENT_UNKNOWN (optional maps such as `call_completed`). */
  async find(tenantId: string, intent: string): Promise<IntentMapVersionRef | null> {
    try {
      return await this.get(tenantId, intent);
    } catch (error) {
      if (error instanceof DomainError && error.code === MappingErrorCode.IntentUnknown) return null;
      throw error;
    }
  }

  @OnEvent(MappingEvents.IntentMapSaved)
  @OnEvent(MappingEvents.IntentMapDeleted)
  @OnEvent(MappingEvents.IntentMapsImported)
  forgetTenant(event: TenantScoped): void {
    const prefix = `${event.tenantId}\u0000`;
    this.cache.deleteWhere((key) => key.startsWith(prefix));
  }
}
