import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  ApiKeyCreatedEvent,
  ApiKeyRevokedEvent,
  TenancyEvents,
  TenantCreatedEvent,
} from '../../tenancy/events/tenancy.events';
import { AuditEvent, AuditService } from '../audit.service';

/** Records the tenancy module's events: who created tenants and issued or revoked keys. */
@Injectable()
export class TenancyAuditListener {
  private readonly logger = new Logger(TenancyAuditListener.name);

  constructor(private readonly audit: AuditService) {}

  @OnEvent(TenancyEvents.TenantCreated, { promisify: true })
  onTenantCreated(event: TenantCreatedEvent): Promise<void> {
    return this.record({
      tenantId: event.tenantId,
      action: TenancyEvents.TenantCreated,
      actor: event.actor,
      subjectType: 'tenant',
      subjectId: event.tenantId,
      details: { name: event.name, region: event.region },
    });
  }

  @OnEvent(TenancyEvents.ApiKeyCreated, { promisify: true })
  onApiKeyCreated(event: ApiKeyCreatedEvent): Promise<void> {
    return this.record({
      tenantId: event.tenantId,
      action: TenancyEvents.ApiKeyCreated,
      actor: event.actor,
      subjectType: 'api-key',
      subjectId: event.keyId,
      details: { role: event.role },
    });
  }

  @OnEvent(TenancyEvents.ApiKeyRevoked, { promisify: true })
  onApiKeyRevoked(event: ApiKeyRevokedEvent): Promise<void> {
    return this.record({
      tenantId: event.tenantId,
      action: TenancyEvents.ApiKeyRevoked,
      actor: event.actor,
      subjectType: 'api-key',
      subjectId: event.keyId,
    });
  }

  /** An audit failure is logged loudly but never fails the change it describes. */
  private async record(event: AuditEvent): Promise<void> {
    try {
      await this.audit.record(event);
    } catch (error) {
      this.logger.error(
        { err: error, action: event.action, tenantId: event.tenantId },
        'audit entry not written',
      );
    }
  }
}
