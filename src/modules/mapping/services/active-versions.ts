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

/**
 * The active map version of each intent, cached briefly per process and forgotten when this process saves maps.
 * An intent without a map is kept as such too (the completion's optional `call_completed` is asked on every
 * call): a map saved in another process is seen within the same few seconds as a changed one.
 */
@Injectable()
export class ActiveVersions {
  private readonly cache = new ExpiringCache<IntentMapVersionRef | null>({ ttlMs: VERSION_TTL_MS });

  constructor(private readonly maps: IntentMapsService) {}

  /** The current version of an intent, or 422 INTENT_UNKNOWN (what the agent API answers). */
  async get(tenantId: string, intent: string): Promise<IntentMapVersionRef> {
    const version = await this.find(tenantId, intent);
    if (!version) throw new DomainError(MappingErrorCode.IntentUnknown, `No intent map for "${intent}"`);
    return version;
  }

  /** Null when the intent has no map (optional maps such as `call_completed`). */
  find(tenantId: string, intent: string): Promise<IntentMapVersionRef | null> {
    return this.cache.get(`${tenantId}\u0000${intent}`, async () => {
      const row = await this.maps.activeVersion(tenantId, intent);
      return row ? toVersionRef(row) : null;
    });
  }

  @OnEvent(MappingEvents.IntentMapSaved)
  @OnEvent(MappingEvents.IntentMapDeleted)
  @OnEvent(MappingEvents.IntentMapsImported)
  forgetTenant(event: TenantScoped): void {
    const prefix = `${event.tenantId}\u0000`;
    this.cache.deleteWhere((key) => key.startsWith(prefix));
  }
}
