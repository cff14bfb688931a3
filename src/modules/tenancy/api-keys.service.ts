import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { generateApiKey, hashApiKey } from './api-key-secrets';
import { ApiKey, TenantKeyRole } from './entities/api-key.entity';
import { ApiKeyCreatedEvent, ApiKeyRevokedEvent, TenancyEvents } from './events/tenancy.events';
import type { Principal } from '../../common/auth/principal';

export interface IssuedApiKey {
  apiKey: ApiKey;
  /** The secret, returned to the caller once and never stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
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

  /** The live key a secret belongs to, or null (unknown or revoked). */
  findActiveBySecret(key: string): Promise<Pick<ApiKey, 'id' | 'tenantId' | 'role'> | null> {
    return this.apiKeys.findOne({
      select: { id: true, tenantId: true, role: true },
      where: { keyHash: hashApiKey(key), revokedAt: IsNull() },
    });
  }
}
