/**
 * The shape of the org definition files in this folder. They stay compact: a field is either a shorthand
 * string such as `"string(80) required"`, `"picklist!:Low|High"` (`!` = restricted) or `"reference:Account"`,
 * or an object with the same options spelled out. `load-org-definition.ts` fills in every describe default.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'phone'
  | 'email'
  | 'url';

export interface FieldOptions {
  type: FieldType;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** createable, not nillable and not defaulted: REQUIRED_FIELD_MISSING when absent (§3.4). */
  required?: boolean;
  createable?: boolean;
  updateable?: boolean;
  nillable?: boolean;
  defaultedOnCreate?: boolean;
  /** Value set on create when the caller gives none (picklist default, boolean default). */
  default?: string | number | boolean;
  /** Picklist values; an object when the API value differs from the label (`{"value":"ListEmail","label":"List Email"}`). */
  values?: (string | { value: string; label: string })[];
  restricted?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  nameField?: boolean;
}

export type FieldSpec = string | FieldOptions;

export interface ObjectSpec {
  keyPrefix: string;
  label?: string;
  /** No DML through the API (User, Organization). */
  readOnly?: boolean;
  /** Has OwnerId (default true). */
  ownable?: boolean;
  fields: Record<string, FieldSpec>;
}

export type Condition =
  | { field: string; op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains'; value: unknown }
  | { field: string; op: 'blank' | 'notBlank' }
  | { all: Condition[] }
  | { any: Condition[] };

export interface ValidationRuleSpec {
  name: string;
  object: string;
  errorMessage: string;
  errorField?: string;
  /** The record is rejected when this condition holds. */
  when: Condition;
}

export interface AssignmentRuleSpec {
  object: string;
  name: string;
  /** First entry whose condition holds (or that has none) gives the owner; `assignTo` is a user `ref`. */
  entries: { when?: Condition; assignTo: string }[];
}

export interface UserSpec {
  ref: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Admin pre-authorized on the org's connected apps, as the JWT bearer flow requires (§1.2). */
  jwtPreAuthorized?: boolean;
}

export interface ConnectedAppSpec {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Scopes the app may grant; requested scopes beyond these are dropped. */
  scopes: string[];
  callbackUrls: string[];
  jwtPublicKeyPem?: string;
  /** User `ref` the authorize endpoint auto-approves as. */
  authorizeUser?: string;
  /** User `ref` the client credentials flow runs as. */
  runAsUser?: string;
}

export interface OrgSettings {
  sessionIdleSeconds: number;
  refreshTokenRotation: boolean;
  dailyApiLimit: number;
  searchIndexLagMs: number;
  /** The standard Lead/Contact/Account duplicate rules are active (default true, as in a new org). */
  duplicateRules: boolean;
}

/** Seed record: field values, `ref` to name it, and `"@ref"` values pointing at other seed records. */
export type SeedRecord = Record<string, unknown> & { ref?: string };

export interface OrgSpec {
  key: string;
  name: string;
  instance: string;
  /** Two characters placed after the key prefix of every id of this org. */
  podCode: string;
  organizationType: string;
  settings: OrgSettings;
  users: UserSpec[];
  connectedApps: ConnectedAppSpec[];
  validationRules: ValidationRuleSpec[];
  assignmentRules: AssignmentRuleSpec[];
  records: Record<string, SeedRecord[]>;
}

export interface InstanceSpec {
  name: string;
  region: string;
}

export interface SandboxDefinition {
  instances: InstanceSpec[];
  orgs: OrgSpec[];
  objects: Record<string, ObjectSpec>;
}
