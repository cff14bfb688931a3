import type { FieldSpec, ObjectSpec } from '../org-definition/definition-types';
import { buildFieldDescribe, type FieldDescribe } from './field-describe';

/** Fields every object has (audit fields are set by the platform, never by the caller). */
const ID_FIELD = { type: 'id', createable: false, updateable: false, nillable: false } as const;
const SYSTEM_FIELDS: Record<string, FieldSpec> = {
  IsDeleted: 'boolean readonly',
  CreatedDate: 'datetime readonly',
  CreatedById: 'reference readonly:User',
  LastModifiedDate: 'datetime readonly',
  LastModifiedById: 'reference readonly:User',
  SystemModstamp: 'datetime readonly',
};
const OWNER_FIELD: FieldSpec = {
  type: 'reference',
  referenceTo: ['User'],
  label: 'Owner ID',
  defaultedOnCreate: true,
};
/** A custom object's Name defaults to the record id when not given, so it is never "required". */
const CUSTOM_NAME_FIELD: FieldSpec = { type: 'string', length: 80, nameField: true, defaultedOnCreate: true };

/** A `childRelationships[]` entry of describe: the child object and its field pointing here. */
export interface ChildRelationship {
  cascadeDelete: boolean;
  childSObject: string;
  deprecatedAndHidden: boolean;
  field: string;
  junctionIdListNames: string[];
  junctionReferenceTo: string[];
  relationshipName: string;
  restrictedDelete: boolean;
}

/** One sObject type of one org: its fields (mutable through the control API) and cached describe JSON. */
export class SObjectType {
  readonly name: string;
  readonly keyPrefix: string;
  readonly label: string;
  readonly custom: boolean;
  readonly readOnly: boolean;
  readonly ownable: boolean;
  readonly childRelationships: ChildRelationship[] = [];
  private readonly fieldsByLowerName = new Map<string, FieldDescribe>();
  private readonly describeCache = new Map<string, string>();
  private indexedFieldNamesCache: string[] | undefined;
  /** Bumped on every field change, so derived caches elsewhere know to rebuild. */
  revision = 0;

  constructor(name: string, spec: ObjectSpec) {
    this.name = name;
    this.keyPrefix = spec.keyPrefix;
    this.custom = name.endsWith('__c');
    this.label = spec.label ?? name;
    this.readOnly = spec.readOnly ?? false;
    this.ownable = spec.ownable ?? true;
    // The Id label names MALFORMED_ID messages: "Account ID: …", "Record ID: …" on custom objects (§3.2, recorded).
    const idLabel = this.custom ? 'Record ID' : `${this.label} ID`;
    const specs: Record<string, FieldSpec> = { Id: { ...ID_FIELD, label: idLabel }, ...SYSTEM_FIELDS };
    if (this.ownable) specs.OwnerId = OWNER_FIELD;
    if (this.custom) specs.Name = CUSTOM_NAME_FIELD;
    Object.assign(specs, spec.fields);
    for (const [fieldName, fieldSpec] of Object.entries(specs))
      this.setField(buildFieldDescribe(fieldName, fieldSpec));
  }

  get fields(): FieldDescribe[] {
    return [...this.fieldsByLowerName.values()];
  }

  /** Field names are case-insensitive in the API. */
  field(name: string): FieldDescribe | undefined {
    return this.fieldsByLowerName.get(name.toLowerCase());
  }

  /** Unique and external-id fields: the record store indexes their values. */
  get indexedFieldNames(): string[] {
    this.indexedFieldNamesCache ??= this.fields.filter((f) => f.unique || f.externalId).map((f) => f.name);
    return this.indexedFieldNamesCache;
  }

  setField(describe: FieldDescribe): void {
    this.fieldsByLowerName.set(describe.name.toLowerCase(), describe);
    this.forgetCaches();
  }

  removeField(name: string): boolean {
    this.forgetCaches();
    return this.fieldsByLowerName.delete(name.toLowerCase());
  }

  private forgetCaches(): void {
    this.revision += 1;
    this.describeCache.clear();
    this.indexedFieldNamesCache = undefined;
  }

  /** The object summary used by the global describe and the basic-info resource (§3.4). */
  summary(version: string): Record<string, unknown> {
    const writable = !this.readOnly;
    const base = `/services/data/v${version}/sobjects/${this.name}`;
    return {
      activateable: false,
      createable: writable,
      custom: this.custom,
      customSetting: false,
      deletable: writable,
      deprecatedAndHidden: false,
      feedEnabled: writable,
      hasSubtypes: false,
      isSubtype: false,
      keyPrefix: this.keyPrefix,
      label: this.label,
      labelPlural: this.label.endsWith('s') ? this.label : `${this.label}s`,
      layoutable: true,
      mergeable: this.name === 'Account' || this.name === 'Contact' || this.name === 'Lead',
      mruEnabled: true,
      name: this.name,
      queryable: true,
      replicateable: true,
      retrieveable: true,
      searchable: this.name !== 'Organization',
      triggerable: writable,
      undeletable: writable,
      updateable: writable,
      urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    };
  }

  /** Full describe, serialised once per API version and reused until a field changes. */
  describeJson(version: string): string {
    let json = this.describeCache.get(version);
    if (json === undefined) {
      json = JSON.stringify({
        ...this.summary(version),
        childRelationships: this.childRelationships,
        fields: this.fields,
        recordTypeInfos: [],
        supportedScopes: [{ label: 'All', name: 'everything' }],
      });
      this.describeCache.set(version, json);
    }
    return json;
  }
}
