import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { generateApiKey, hashApiKey } from './api-key-secrets';
import { ApiKey, TenantKeyRole } from './entities/api-key.entity';
import { ApiKeyCreatedEvent, ApiKeyRevokedEvent, TenancyEvents } from './events/tenancy.events';
import type { Principal } from '../../common/auth/principal';

export type ActiveApiKey = Pick<ApiKey, 'id' | 'tenantId' | 'role'>;

/**
 * Every request authenticates, so each process keeps the keys it has recently accepted (by key hash) for a few
 * seconds instead of asking Postgres each time. A revocation in this process drops the key at once; one made in
 * another process takes effect here within the TTL. Unknown keys are never kept (a failed lookup costs the
 * query again, and guessed keys cannot fill the cache).
 */
const ACTIVE_KEY_TTL_MS = 3_000;
/** Bound on the cache: past it the oldest entry goes (one entry per live key, so rarely reached). */
const ACTIVE_KEY_CACHE_MAX = 10_000;

interface ActiveKeyEntry {
  key: Promise<ActiveApiKey | null>;
  loadedAt: number;
  /** Set once the lookup found a live key. */
  id?: string;
}

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The secret, returned to the caller once and never stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  /** Key hash → the lookup (shared while in flight, so a burst on expiry costs one query). */
  private readonly active = new Map<string, ActiveKeyEntry>();

  constructor(
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    private readonly events: EventEmitter2,
  ) {}

  async issue(
    tenantId: string,
    role: TenantKeyRole,
    label: string | undefined,
    actor: Principal,
  ): Promise<IssuedApiKey> {
    const secret = generateApiKey(role);
    const apiKey = await this.apiKeys.save(
      this.apiKeys.create({
        tenantId,
        role,
        label: label ?? null,
        keyHash: secret.hash,
        keyPrefix: secret.prefix,
      }),
    );
    this.events.emit(TenancyEvents.ApiKeyCreated, new ApiKeyCreatedEvent(tenantId, apiKey.id, role, actor));
    return { apiKey, key: secret.key };
  }

  listForTenant(tenantId: string): Promise<ApiKey[]> {
    return this.apiKeys.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes one of the tenant's keys; a key of another tenant is reported as not found. */
  async revoke(tenantId: string, keyId: string, actor: Principal): Promise<void> {
    const result = await this.apiKeys.update(
      { id: keyId, tenantId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (!result.affected) {
      const alreadyRevoked = await this.apiKeys.existsBy({ id: keyId, tenantId });
      if (alreadyRevoked) return;
      throw new NotFoundError('API key');
    }
    this.events.emit(TenancyEvents.ApiKeyRevoked, new ApiKeyRevokedEvent(tenantId, keyId, actor));
  }

  /** The live key a secret belongs to, or null (unknown or revoked); see ACTIVE_KEY_TTL_MS. */
  findActiveBySecret(key: string): Promise<ActiveApiKey | null> {
    const keyHash = hashApiKey(key);
    const cached = this.active.get(keyHash);
    if (cached && Date.now() - cached.loadedAt < ACTIVE_KEY_TTL_MS) return cached.key;
    const entry: ActiveKeyEntry = {
      key: this.apiKeys.findOne({
        select: { id: true, tenantId: true, role: true },
        where: { keyHash, revokedAt: IsNull() },
      }),
      loadedAt: Date.now(),
    };
    this.active.delete(keyHash);
    const oldest = this.active.keys().next();
    if (this.active.size >= ACTIVE_KEY_CACHE_MAX && !oldest.done) this.active.delete(oldest.value);
    this.active.set(keyHash, entry);
    const forget = () => {
      if (this.active.get(keyHash) === entry) this.active.delete(keyHash);
    };
    entry.key.then((apiKey) => {
      if (apiKey) entry.id = apiKey.id;
      else forget();
    }, forget);
    return entry.key;
  }

  /**
   * Emitted synchronously by `revoke`, so the key is refused from the next request on. Lookups still in flight
   * are dropped too: they may have read the row before the revocation committed.
   */
  @OnEvent(TenancyEvents.ApiKeyRevoked)
  forgetRevoked(event: ApiKeyRevokedEvent): void {
    for (const [keyHash, entry] of this.active) {
      if (entry.id === undefined || entry.id === event.keyId) this.active.delete(keyHash);
    }
  }
}
