import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ExpiringCache } from '../../common/cache/expiring-cache';
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

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The secret, returned to the caller once and never stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  /** Key hash → the live key (see ACTIVE_KEY_TTL_MS). */
  private readonly active = new ExpiringCache<ActiveApiKey | null>({
    ttlMs: ACTIVE_KEY_TTL_MS,
    maxEntries: ACTIVE_KEY_CACHE_MAX,
    keep: (apiKey) => apiKey !== null,
  });

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
    return this.active.get(keyHash, () =>
      this.apiKeys.findOne({
        select: { id: true, tenantId: true, role: true },
        where: { keyHash, revokedAt: IsNull() },
      }),
    );
  }

  /**
   * Emitted synchronously by `revoke`, so the key is refused from the next request on. Lookups still in flight
   * are dropped too: they may have read the row before the revocation committed.
   */
  @OnEvent(TenancyEvents.ApiKeyRevoked)
  forgetRevoked(event: ApiKeyRevokedEvent): void {
    this.active.deleteWhere((_keyHash, apiKey) => !apiKey || apiKey.id === event.keyId);
  }
}
