import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DomainError } from '../../../common/errors/domain-error';
import { type IntentMapVersionRef, MappingEvents, WritePlansService } from '../../mapping';

/** Maps change rarely and are read on every write: each process keeps the active version a few seconds. */
const VERSION_TTL_MS = 5_000;

interface TenantScoped {
  tenantId: string;
}

/** The active map version of each intent, cached briefly per process and forgotten when this process saves maps. */
@Injectable()
export class ActiveVersions {
  private readonly cache = new Map<string, { version: Promise<IntentMapVersionRef>; loadedAt: number }>();

  constructor(private readonly plans: WritePlansService) {}

  get(tenantId: string, intent: string): Promise<IntentMapVersionRef> {
    const key = `${tenantId}\u0000${intent}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.loadedAt < VERSION_TTL_MS) return cached.version;
    const version = this.plans.activeVersion(tenantId, intent);
    this.cache.set(key, { version, loadedAt: Date.now() });
    // A refusal (INTENT_UNKNOWN) is not kept: the admin may be saving the map right now.
    version.catch(() => this.cache.delete(key));
    return version;
  }

  /** Null instead of INTENT_UNKNOWN (optional maps such as `call_completed`). */
  async find(tenantId: string, intent: string): Promise<IntentMapVersionRef | null> {
    try {
      return await this.get(tenantId, intent);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INTENT_UNKNOWN') return null;
      throw error;
    }
  }

  @OnEvent(MappingEvents.IntentMapSaved)
  @OnEvent(MappingEvents.IntentMapDeleted)
  @OnEvent(MappingEvents.IntentMapsImported)
  forgetTenant(event: TenantScoped): void {
    const prefix = `${event.tenantId}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
