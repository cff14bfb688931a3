import type { Principal } from '../../../common/auth/principal';
import type { Problem } from '../../../common/errors/domain-error';

/** Domain events of the mapping module; the audit module records them. */
export const MappingEvents = {
  MetadataRefreshed: 'mapping.metadata.refreshed',
  DriftDetected: 'mapping.drift.detected',
  IntentMapSaved: 'mapping.intent-map.saved',
  IntentMapDeleted: 'mapping.intent-map.deleted',
  IntentMapsImported: 'mapping.intent-maps.imported',
  SimulationRun: 'mapping.simulation.run',
} as const;

export interface MetadataChange {
  object: string;
  field?: string;
  change: 'added' | 'removed' | 'changed' | 'object-found' | 'object-lost';
  /** Describe keys that changed (`type`, `updateable`, `picklistValues`, …). */
  keys?: string[];
}

export class MetadataRefreshedEvent {
  constructor(
    readonly tenantId: string,
    readonly objects: string[],
    readonly changes: MetadataChange[],
    readonly actor: Principal,
  ) {}
}

/** Maps that a metadata change (or the connection's profile) broke: they would fail during a call. */
export class DriftDetectedEvent {
  constructor(
    readonly tenantId: string,
    readonly brokenMaps: Array<{ intent: string; version: number; problems: Problem[] }>,
    readonly actor: Principal,
  ) {}
}

export class IntentMapSavedEvent {
  constructor(
    readonly tenantId: string,
    readonly intent: string,
    readonly version: number,
    readonly versionId: string,
    readonly actor: Principal,
  ) {}
}

export class IntentMapDeletedEvent {
  constructor(
    readonly tenantId: string,
    readonly intent: string,
    readonly lastVersion: number,
    readonly actor: Principal,
  ) {}
}

export class IntentMapsImportedEvent {
  constructor(
    readonly tenantId: string,
    readonly intents: Array<{ intent: string; version: number; versionId: string }>,
    readonly actor: Principal,
  ) {}
}

export class SimulationRunEvent {
  constructor(
    readonly tenantId: string,
    readonly callId: string,
    readonly steps: number,
    readonly problems: number,
    readonly actor: Principal,
  ) {}
}
