import type {
  AssignmentRuleSpec,
  ConnectedAppSpec,
  OrgSettings,
  OrgSpec,
  SandboxDefinition,
  UserSpec,
  ValidationRuleSpec,
} from '../org-definition/definition-types';
import { duplicateMatchKeys } from '../data-api/duplicate-rules';
import { OrgSchema } from '../schema/org-schema';
import { IdFactory } from '../store/ids';
import { RecordStore } from '../store/record-store';

export interface OrgUser extends UserSpec {
  id: string;
}

/**
 * One org's live state: schema (describe metadata, changeable through the control API), records, users,
 * connected apps, rules, settings and the daily API counter. Rebuilt from the definition on reset.
 */
export class OrgRuntime {
  readonly key: string;
  readonly name: string;
  readonly instance: string;
  readonly organizationType: string;
  readonly id: string;
  readonly schema: OrgSchema;
  readonly store: RecordStore;
  readonly ids: IdFactory;
  readonly settings: OrgSettings;
  readonly users: OrgUser[];
  readonly connectedApps: ConnectedAppSpec[];
  readonly validationRules: ValidationRuleSpec[];
  readonly assignmentRules: AssignmentRuleSpec[];
  apiRequestsUsed = 0;
  /** Open SOQL cursors by locator, for `nextRecordsUrl` (bounded by the query routes). */
  readonly queryCursors = new Map<string, { records: unknown[]; batchSize: number }>();

  constructor(spec: OrgSpec, definition: SandboxDefinition, settingsOverride: Partial<OrgSettings>) {
    this.key = spec.key;
    this.name = spec.name;
    this.instance = spec.instance;
    this.organizationType = spec.organizationType;
    this.ids = new IdFactory(spec.podCode);
    this.id = this.ids.next('00D');
    this.schema = new OrgSchema(definition.objects);
    this.store = new RecordStore((objectName) => this.indexedFields(objectName), duplicateMatchKeys);
    this.settings = { ...spec.settings, ...settingsOverride };
    this.users = spec.users.map((user) => ({ ...user, id: this.ids.next('005') }));
    this.connectedApps = spec.connectedApps;
    this.validationRules = spec.validationRules;
    this.assignmentRules = spec.assignmentRules;
  }

  userByRef(ref: string): OrgUser | undefined {
    return this.users.find((user) => user.ref === ref);
  }

  userById(id: string): OrgUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  userByUsername(username: string): OrgUser | undefined {
    const lower = username.toLowerCase();
    return this.users.find((user) => user.username.toLowerCase() === lower);
  }

  /** Unique and external-id fields, kept in the store's value index. */
  indexedFields(objectName: string): string[] {
    return this.schema.object(objectName)?.indexedFieldNames ?? [];
  }
}
