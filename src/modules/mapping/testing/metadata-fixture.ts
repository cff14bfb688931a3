import { type FieldMetadata, MetadataCatalog, type ObjectMetadata } from '../rules/field-metadata';

/** A small org for unit specs, shaped like the sandbox org's definition. Not used by production code. */
export function fieldMeta(name: string, type: string, overrides: Partial<FieldMetadata> = {}): FieldMetadata {
  return {
    name,
    label: name,
    type,
    length: ['string', 'textarea', 'phone', 'email', 'url', 'picklist', 'combobox'].includes(type)
      ? 255
      : null,
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    picklistValues: [],
    defaultPicklistValue: null,
    restrictedPicklist: false,
    referenceTo: [],
    externalId: false,
    ...overrides,
    picklistLabels: overrides.picklistLabels ?? overrides.picklistValues ?? [],
  };
}

const required = { nillable: false };
const key = () => fieldMeta('AICall_External_Id__c', 'string', { externalId: true });
const object = (name: string, fields: FieldMetadata[], found = true): ObjectMetadata => ({
  name,
  label: name,
  found,
  fields,
  refreshedAt: new Date('2026-01-01T00:00:00Z'),
});

export function fixtureObjects(): ObjectMetadata[] {
  return [
    object('Account', [
      fieldMeta('Name', 'string', required),
      fieldMeta('Phone', 'phone'),
      fieldMeta('AnnualRevenue', 'currency'),
      fieldMeta('Budget__c', 'currency'),
      key(),
    ]),
    object('Contact', [
      fieldMeta('FirstName', 'string'),
      fieldMeta('LastName', 'string', required),
      fieldMeta('Name', 'string', { createable: false, updateable: false }),
      fieldMeta('Phone', 'phone'),
      fieldMeta('Email', 'email'),
      fieldMeta('AccountId', 'reference', { referenceTo: ['Account'] }),
      fieldMeta('Budget__c', 'currency'),
      key(),
    ]),
    object('Lead', [
      fieldMeta('FirstName', 'string'),
      fieldMeta('LastName', 'string', required),
      fieldMeta('Company', 'string', required),
      fieldMeta('Phone', 'phone'),
      fieldMeta('Email', 'email'),
      fieldMeta('Status', 'picklist', {
        ...required,
        defaultedOnCreate: true,
        picklistValues: ['Open - Not Contacted', 'Working - Contacted', 'Qualified', 'Closed - Converted'],
        defaultPicklistValue: 'Open - Not Contacted',
      }),
      fieldMeta('IsConverted', 'boolean', { createable: false, updateable: false }),
      key(),
    ]),
    object('Opportunity', [
      fieldMeta('Name', 'string', { ...required, length: 120 }),
      fieldMeta('AccountId', 'reference', { referenceTo: ['Account'] }),
      fieldMeta('StageName', 'picklist', {
        ...required,
        restrictedPicklist: true,
        picklistValues: ['Prospecting', 'Qualification', 'Demo Scheduled', 'Closed Won'],
      }),
      fieldMeta('CloseDate', 'date', required),
      fieldMeta('Amount', 'currency'),
      fieldMeta('Demo_Requested_At__c', 'datetime'),
      fieldMeta('Next_Step_Count__c', 'int'),
      key(),
    ]),
    object('Task', [
      fieldMeta('Subject', 'combobox'),
      fieldMeta('Description', 'textarea', { length: 32000 }),
      fieldMeta('WhoId', 'reference', { referenceTo: ['Contact', 'Lead'] }),
      fieldMeta('WhatId', 'reference', { referenceTo: ['Account', 'Opportunity'] }),
      fieldMeta('TaskSubtype', 'picklist', {
        updateable: false,
        restrictedPicklist: true,
        picklistValues: ['Task', 'Call'],
      }),
      key(),
    ]),
    object('Support_Case__c', [
      fieldMeta('Account__c', 'reference', { referenceTo: ['Account'] }),
      fieldMeta('Severity__c', 'picklist', { restrictedPicklist: true, picklistValues: ['S1', 'S2', 'S3'] }),
      fieldMeta('Subject__c', 'string'),
      key(),
    ]),
    object('Call_Recording__c', [
      fieldMeta('Recording_Url__c', 'url', required),
      fieldMeta('Call_Id__c', 'string'),
      key(),
    ]),
    object('No_Key__c', [fieldMeta('Note__c', 'string')]),
    object('Ghost__c', [], false),
  ];
}

export function fixtureCatalog(): MetadataCatalog {
  return new MetadataCatalog(fixtureObjects());
}
