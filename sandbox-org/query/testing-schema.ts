import { QueryFieldInfo, QueryObjectInfo, QuerySchema, StoredRecord } from './query-schema';

/**
 * A minimal in-memory QuerySchema for the engine's unit tests (and a reference for what the server must
 * provide): describes are looked up case-insensitively, ids match in 15- or 18-character form.
 */
export function buildInMemorySchema(
  objects: QueryObjectInfo[],
  recordsByObject: Record<string, StoredRecord[]>,
  options: { apiVersion?: string; notYetIndexed?: string[] } = {},
): QuerySchema {
  const describes = new Map(objects.map((info) => [info.name.toLowerCase(), info]));
  const byId = new Map<string, { objectName: string; record: StoredRecord }>();
  for (const [objectName, records] of Object.entries(recordsByObject)) {
    for (const record of records) byId.set(String(record.Id).slice(0, 15), { objectName, record });
  }
  const hidden = new Set(options.notYetIndexed ?? []);
  const recordsOf = (name: string) => {
    const canonical = describes.get(name.toLowerCase())?.name ?? name;
    return recordsByObject[canonical] ?? [];
  };
  return {
    apiVersion: options.apiVersion ?? '62.0',
    describe: (name) => describes.get(name.toLowerCase()),
    records: recordsOf,
    searchableRecords: (name) => recordsOf(name).filter((record) => !hidden.has(String(record.Id))),
    findById: (id) => byId.get(id.slice(0, 15)),
  };
}

const field = (name: string, type: string): QueryFieldInfo => ({ name, type });
const reference = (name: string, relationshipName: string, referenceTo: string[]): QueryFieldInfo => ({
  name,
  type: 'reference',
  relationshipName,
  referenceTo,
});

/** Account, Contact (AccountId → Account), Lead (IsConverted), Task (polymorphic What), Call_Log__c (Parent__c). */
export const TEST_OBJECTS: QueryObjectInfo[] = [
  {
    name: 'User',
    fields: [field('Id', 'id'), field('Name', 'string')],
  },
  {
    name: 'Account',
    fields: [
      field('Id', 'id'),
      field('Name', 'string'),
      field('Phone', 'phone'),
      field('Industry', 'picklist'),
      field('AnnualRevenue', 'currency'),
      field('NumberOfEmployees', 'int'),
      field('CreatedDate', 'datetime'),
      reference('OwnerId', 'Owner', ['User']),
    ],
  },
  {
    name: 'Contact',
    fields: [
      field('Id', 'id'),
      field('FirstName', 'string'),
      field('LastName', 'string'),
      field('Name', 'string'),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone'),
      field('Birthdate', 'date'),
      reference('AccountId', 'Account', ['Account']),
    ],
  },
  {
    name: 'Lead',
    fields: [
      field('Id', 'id'),
      field('Name', 'string'),
      field('Company', 'string'),
      field('Phone', 'phone'),
      field('Email', 'email'),
      field('IsConverted', 'boolean'),
    ],
  },
  {
    name: 'Opportunity',
    fields: [field('Id', 'id'), field('Name', 'string'), reference('AccountId', 'Account', ['Account'])],
  },
  {
    name: 'Task',
    fields: [
      field('Id', 'id'),
      field('Subject', 'string'),
      reference('WhatId', 'What', ['Account', 'Opportunity']),
    ],
  },
  {
    name: 'Call_Log__c',
    fields: [
      field('Id', 'id'),
      field('Name', 'string'),
      field('Duration__c', 'double'),
      field('Notes__c', 'textarea'),
      reference('Parent__c', 'Parent__r', ['Account']),
    ],
  },
];

export const USER_ID = '005000000000001AAA';
export const ACME_ID = '001000000000001AAA';
export const GLOBEX_ID = '001000000000002AAA';
export const INITECH_ID = '001000000000003AAA';
export const OPPORTUNITY_ID = '006000000000001AAA';

export const TEST_RECORDS: Record<string, StoredRecord[]> = {
  User: [{ Id: USER_ID, Name: 'Ada Admin' }],
  Account: [
    {
      Id: ACME_ID,
      Name: 'Acme Corp',
      Phone: '+1 (415) 555-1212',
      Industry: 'Technology',
      AnnualRevenue: 5000000,
      NumberOfEmployees: 120,
      CreatedDate: '2026-05-14T10:00:00.000+0000',
      OwnerId: USER_ID,
    },
    {
      Id: GLOBEX_ID,
      Name: 'Globex 100% Inc',
      Phone: '212-555-0000',
      Industry: null,
      AnnualRevenue: 250000,
      NumberOfEmployees: 8,
      CreatedDate: '2026-05-12T23:30:00.000+0000',
      OwnerId: null,
    },
    {
      Id: INITECH_ID,
      Name: "Initech O'Brien",
      Phone: null,
      Industry: 'Finance',
      AnnualRevenue: null,
      NumberOfEmployees: 40,
      CreatedDate: '2026-04-01T08:00:00.000+0000',
      OwnerId: USER_ID,
    },
  ],
  Contact: [
    {
      Id: '003000000000001AAA',
      FirstName: 'Jane',
      LastName: 'Smith-Jones',
      Name: 'Jane Smith-Jones',
      Email: 'jane@acme.com',
      Phone: '415.555.1212',
      MobilePhone: null,
      Birthdate: '1990-02-01',
      AccountId: ACME_ID,
    },
    {
      Id: '003000000000002AAA',
      FirstName: 'John',
      LastName: 'Doe',
      Name: 'John Doe',
      Email: 'john.doe@globex.com',
      Phone: null,
      MobilePhone: '14155551212',
      Birthdate: null,
      AccountId: GLOBEX_ID,
    },
    {
      Id: '003000000000003AAA',
      FirstName: null,
      LastName: 'Orphan',
      Name: 'Orphan',
      Email: null,
      Phone: '(650) 555-9999',
      MobilePhone: null,
      Birthdate: '1985-07-30',
      AccountId: null,
    },
  ],
  Lead: [
    {
      Id: '00Q000000000001AAA',
      Name: 'Lena Lead',
      Company: 'Acme Corp',
      Phone: '4155551212',
      Email: 'lena@acme.com',
      IsConverted: false,
    },
    {
      Id: '00Q000000000002AAA',
      Name: 'Carl Converted',
      Company: 'Umbrella',
      Phone: '+14155551212',
      Email: 'carl@umbrella.com',
      IsConverted: true,
    },
  ],
  Opportunity: [{ Id: OPPORTUNITY_ID, Name: 'Acme renewal', AccountId: ACME_ID }],
  Task: [
    { Id: '00T000000000001AAA', Subject: 'Call about Acme', WhatId: ACME_ID },
    { Id: '00T000000000002AAA', Subject: 'Renewal call', WhatId: OPPORTUNITY_ID },
    { Id: '00T000000000003AAA', Subject: 'Loose end', WhatId: null },
  ],
  Call_Log__c: [
    {
      Id: 'a00000000000001AAA',
      Name: 'CL-1',
      Duration__c: 61.5,
      Notes__c: 'Asked for a quote',
      Parent__c: ACME_ID,
    },
    { Id: 'a00000000000002AAA', Name: 'CL-2', Duration__c: 10, Notes__c: null, Parent__c: null },
  ],
};

export function buildTestSchema(options: { notYetIndexed?: string[] } = {}): QuerySchema {
  return buildInMemorySchema(TEST_OBJECTS, TEST_RECORDS, options);
}
