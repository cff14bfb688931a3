import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuditableEvent } from '../../../common/audit/audit-journal';
import { MappingEvents } from '../../mapping/events/mapping.events';
import { OperationsEvents } from '../../operations/events/operations.events';
import { SalesforceEvents } from '../../salesforce/events/salesforce.events';
import { TenancyEvents } from '../../tenancy/events/tenancy.events';
import { AuditService } from '../audit.service';

/** The event's subject: which kind of thing changed, and which property of the event names it. */
interface Subject {
  type: string;
  idFrom: string;
}

/**
 * Every domain event this listener records, with its subject. One table, read at a glance. A write's own events
 * (writes.*) are not here: the outbox journals their entries in the statement that changes the write.
 */
const AUDITED_EVENTS: Record<string, Subject> = {
  [TenancyEvents.TenantCreated]: { type: 'tenant', idFrom: 'tenantId' },
  [TenancyEvents.ApiKeyCreated]: { type: 'api-key', idFrom: 'keyId' },
  [TenancyEvents.ApiKeyRevoked]: { type: 'api-key', idFrom: 'keyId' },
  [SalesforceEvents.Connected]: { type: 'connection', idFrom: 'tenantId' },
  [SalesforceEvents.Refreshed]: { type: 'connection', idFrom: 'tenantId' },
  [SalesforceEvents.NeedsReauthorization]: { type: 'connection', idFrom: 'tenantId' },
  [SalesforceEvents.Disconnected]: { type: 'connection', idFrom: 'tenantId' },
  [MappingEvents.MetadataRefreshed]: { type: 'metadata', idFrom: 'tenantId' },
  [MappingEvents.DriftDetected]: { type: 'metadata', idFrom: 'tenantId' },
  [MappingEvents.IntentMapSaved]: { type: 'intent-map', idFrom: 'intent' },
  [MappingEvents.IntentMapDeleted]: { type: 'intent-map', idFrom: 'intent' },
  [MappingEvents.IntentMapsImported]: { type: 'intent-map', idFrom: 'tenantId' },
  [MappingEvents.SimulationRun]: { type: 'simulation', idFrom: 'callId' },
  [OperationsEvents.DeadLettered]: { type: 'dead-letter', idFrom: 'deadLetterId' },
  [OperationsEvents.ReplayRequested]: { type: 'dead-letter', idFrom: 'deadLetterId' },
  [OperationsEvents.AlertFailed]: { type: 'dead-letter', idFrom: 'deadLetterId' },
};

/** Records each audited domain event as an entry in its tenant's chain. */
@Injectable()
export class DomainEventsAuditListener implements OnModuleInit {
  private readonly logger = new Logger(DomainEventsAuditListener.name);

  constructor(
    private readonly events: EventEmitter2,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    for (const [action, subject] of Object.entries(AUDITED_EVENTS)) {
      this.events.on(action, (event: AuditableEvent) => void this.record(action, subject, event));
    }
  }

  /** An audit failure is logged loudly but never fails the change it describes. */
  private async record(action: string, subject: Subject, event: AuditableEvent): Promise<void> {
    try {
      await this.audit.record(action, { type: subject.type, id: String(event[subject.idFrom]) }, event);
    } catch (error) {
      this.logger.error({ err: error, action, tenantId: event.tenantId }, 'audit entry not written');
    }
  }
}
