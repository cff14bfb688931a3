import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DriftDetectedEvent, MappingEvents } from '../events/mapping.events';
import { autoMap, type AutoMapResult } from '../rules/auto-map';
import { IntentMapsService } from './intent-maps.service';
import { MetadataService } from './metadata.service';

/** Admin flows that span metadata and maps: refresh with drift detection, and auto-map. */
@Injectable()
export class MappingAdminService {
  constructor(
    private readonly metadata: MetadataService,
    private readonly maps: IntentMapsService,
    private readonly events: EventEmitter2,
  ) {}

  async refreshMetadata(caller: TenantPrincipal, objects?: string[]) {
    const { tenantId } = caller;
    const refreshed = await this.metadata.refresh(
      tenantId,
      objects,
      await this.maps.mapObjects(tenantId),
      caller,
    );
    const context = await this.maps.validationContext(tenantId);
    const drift = (await this.maps.activeVersions(tenantId))
      .map((row) => ({ intent: row.intent, version: row.version, problems: this.maps.driftOf(row, context) }))
      .filter((entry) => entry.problems.length > 0);
    if (drift.length)
      this.events.emit(MappingEvents.DriftDetected, new DriftDetectedEvent(tenantId, drift, caller));
    return { objects: refreshed.objects, changes: refreshed.changes, drift };
  }

  async autoMap(
    tenantId: string,
    fields: Record<string, string>,
    objects?: string[],
  ): Promise<AutoMapResult> {
    return autoMap(fields, await this.metadata.loadCatalog(tenantId), objects);
  }
}
