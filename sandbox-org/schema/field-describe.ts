import type { FieldOptions, FieldSpec, FieldType } from '../org-definition/definition-types';

export interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  label: string;
  validFor: null;
  value: string;
}

/** One field entry of `/sobjects/X/describe` (§3.4), with every key jsforce's `Field` type knows. */
export interface FieldDescribe {
  name: string;
  label: string;
  type: FieldType;
  soapType: string;
  length: number;
  byteLength: number;
  precision: number;
  scale: number;
  digits: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  defaultValue: string | number | boolean | null;
  defaultValueFormula: null;
  custom: boolean;
  externalId: boolean;
  unique: boolean;
  idLookup: boolean;
  nameField: boolean;
  calculated: boolean;
  autoNumber: boolean;
  caseSensitive: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  aggregatable: boolean;
  restrictedPicklist: boolean;
  picklistValues: PicklistEntry[];
  dependentPicklist: boolean;
  controllerName: null;
  referenceTo: string[];
  relationshipName: string | null;
  relationshipOrder: null;
  polymorphicForeignKey: boolean;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
  htmlFormatted: boolean;
  inlineHelpText: null;
  deprecatedAndHidden: boolean;
  encrypted: boolean;
  permissionable: boolean;
}

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  phone: 'xsd:string',
  email: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const DEFAULT_LENGTHS: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32000,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  phone: 40,
  email: 80,
  url: 255,
};

const SHORTHAND = /^(\w+)(?:\((\d+)(?:,(\d+))?\))?(!)?((?: \w+)*)(?::(.*))?$/;

/**
 * `"picklist! required:A|B"` → options. Words after the type: required, readonly, createonly, extid, unique,
 * name; after `:` the picklist values or the referenced objects, separated by `|`.
 */
function parseShorthand(spec: string): FieldOptions {
  const match = SHORTHAND.exec(spec);
  if (!match) throw new Error(`Bad field shorthand in org definition: "${spec}"`);
  const [, type, first, second, restricted, words, list] = match;
  const flags = new Set(words.trim().split(' '));
  const options: FieldOptions = { type: type as FieldType };
  const isNumber = ['double', 'currency', 'percent', 'int'].includes(type);
  if (first) {
    if (isNumber) options.precision = Number(first);
    else options.length = Number(first);
  }
  if (second) options.scale = Number(second);
  if (restricted) options.restricted = true;
  if (list) {
    if (type === 'reference') options.referenceTo = list.split('|');
    else options.values = list.split('|');
  }
  if (flags.has('required')) options.required = true;
  if (flags.has('readonly')) Object.assign(options, { createable: false, updateable: false });
  if (flags.has('createonly')) options.updateable = false;
  if (flags.has('extid')) options.externalId = true;
  if (flags.has('unique')) options.unique = true;
  if (flags.has('name')) options.nameField = true;
  return options;
}

function labelFromName(name: string): string {
  const base = name.replace(/__c$/, '').replace(/Id$/, '');
  return base.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function relationshipNameFor(name: string): string {
  return name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
}

/** Fills in every describe key from the compact definition. */
export function buildFieldDescribe(name: string, spec: FieldSpec): FieldDescribe {
  const o = typeof spec === 'string' ? parseShorthand(spec) : spec;
  const type = o.type;
  const isPicklist = type === 'picklist' || type === 'multipicklist' || type === 'combobox';
  const isNumber = type === 'double' || type === 'currency' || type === 'percent' || type === 'int';
  const createable = o.createable ?? type !== 'id';
  const hasDefault = o.default !== undefined;
  const length = o.length ?? DEFAULT_LENGTHS[type] ?? 0;
  return {
    name,
    label: o.label ?? labelFromName(name),
    type,
    soapType: SOAP_TYPES[type],
    length,
    byteLength: length * 3,
    precision: isNumber && type !== 'int' ? (o.precision ?? 18) : 0,
    scale: isNumber && type !== 'int' ? (o.scale ?? 0) : 0,
    digits: type === 'int' ? (o.precision ?? 9) : 0,
    createable,
    updateable: o.updateable ?? createable,
    // booleans are never nillable in describe, and never required (§3.4)
    nillable: type === 'boolean' ? false : (o.nillable ?? !o.required),
    defaultedOnCreate: o.defaultedOnCreate ?? (type === 'boolean' || hasDefault || !createable),
    defaultValue: hasDefault && !isPicklist ? (o.default ?? null) : type === 'boolean' ? false : null,
    defaultValueFormula: null,
    custom: name.endsWith('__c'),
    externalId: o.externalId ?? false,
    unique: o.unique ?? false,
    idLookup: type === 'id' || Boolean(o.externalId) || Boolean(o.unique),
    nameField: o.nameField ?? false,
    calculated: false,
    autoNumber: false,
    caseSensitive: false,
    filterable: type !== 'textarea' || length <= 255,
    sortable: type !== 'textarea' && type !== 'multipicklist',
    groupable: !isNumber && type !== 'textarea' && type !== 'multipicklist' && type !== 'datetime',
    aggregatable: type !== 'textarea' && type !== 'multipicklist',
    restrictedPicklist: o.restricted ?? false,
    picklistValues: (isPicklist ? (o.values ?? []) : []).map((entry) => {
      const { value, label } = typeof entry === 'string' ? { value: entry, label: entry } : entry;
      return { active: true, defaultValue: value === o.default, label, validFor: null, value };
    }),
    dependentPicklist: false,
    controllerName: null,
    referenceTo: type === 'reference' ? (o.referenceTo ?? []) : [],
    relationshipName: type === 'reference' ? (o.relationshipName ?? relationshipNameFor(name)) : null,
    relationshipOrder: null,
    polymorphicForeignKey: (o.referenceTo?.length ?? 0) > 1,
    cascadeDelete: false,
    restrictedDelete: false,
    htmlFormatted: false,
    inlineHelpText: null,
    deprecatedAndHidden: false,
    encrypted: false,
    permissionable: name.endsWith('__c') && (o.nillable ?? !o.required),
  };
}
