import type { MetadataCatalog } from './field-metadata';
import type { CallerContext } from './value-expression';

/** What a create default is computed from: the call as the plan sees it. */
export interface CreateContext {
  caller: CallerContext;
  callId: string;
  now: Date;
  catalog: MetadataCatalog;
}

/** A field the plan fills itself when it creates the record; `undefined` or `''` leaves the field out. */
type CreateDefault = (context: CreateContext) => unknown;

export interface SObjectRule {
  /**
   * The records written with it, in the same composite and before it (product.md §4b): an Opportunity brings
   * its Account and Contact. Its standard lookups to them (`AccountId`, …) are filled by the plan.
   */
  parents: readonly string[];
  /** Never in the call's composite: queued and sent after it (product.md §4c). */
  deferred: boolean;
  /** The org's assignment rules run on it unless told not to (`Sforce-Auto-Assign`, salesforce-rest.md §7). */
  autoAssigned: boolean;
  /** A Chatter target may post on its feed (`Chatter.<object>`). */
  chatterSubject: boolean;
  /** Described on every default metadata refresh (the objects a map is expected to write). */
  describedByDefault: boolean;
  /** Written only for a caller who is not a known Contact (a Lead is a person the org does not know yet). */
  onlyForUnknownCaller?: boolean;
  /**
   * Its place on the call's Task: WhoId (a person) or WhatId (a business record). Among the records of a call
   * the lowest `rank` fills the field; `alone` means Salesforce refuses a WhatId beside it (salesforce-rest.md §3.5).
   */
  taskRole?: { field: TaskReferenceField; rank: number; alone?: boolean };
  createDefaults: Readonly<Record<string, CreateDefault>>;
}

/** The call's activity: the Task every call gets, pointing at the call's records. */
export const TASK = 'Task';
/** The Task's references to the call's records: a person (Who) and a business record (What). */
export type TaskReferenceField = 'WhoId' | 'WhatId';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A new Opportunity closes 30 days out unless a map says otherwise. */
const DEFAULT_CLOSE_DAYS = 30;
const UNKNOWN_CALLER = 'Unknown caller';

/** What an Account created for the caller is called: their company, else their name, else their number. */
export function callerAccountName(caller: CallerContext): string {
  const fullName = [caller.firstName, caller.lastName].filter(Boolean).join(' ');
  return caller.company || fullName || caller.phone || UNKNOWN_CALLER;
}

/**
 * The first `length` UTF-16 units of `text` (Salesforce counts field lengths in them), one fewer when the cut
 * would split a surrogate pair: half an emoji is not valid Unicode, and neither Postgres nor Salesforce takes it.
 */
export function cutToLength(text: string, length: number): string {
  const lastKept = text.charCodeAt(length - 1);
  const splitsPair = lastKept >= 0xd800 && lastKept <= 0xdbff;
  return text.slice(0, splitsPair ? length - 1 : length);
}

const PERSON_DEFAULTS: Readonly<Record<string, CreateDefault>> = {
  FirstName: ({ caller }) => caller.firstName,
  LastName: ({ caller }) => caller.lastName || UNKNOWN_CALLER,
  Phone: ({ caller }) => caller.phone,
  Email: ({ caller }) => caller.email,
};

/** What the connector knows of an object outside the table (a custom object): nothing beyond its metadata. */
export const OBJECT_WITHOUT_RULES = {
  parents: [],
  deferred: false,
  autoAssigned: false,
  chatterSubject: false,
  describedByDefault: false,
  createDefaults: {},
} as const satisfies SObjectRule;

/**
 * THE table of what the connector knows about each sObject it writes. The record chain, the write order, the
 * create defaults, deferral, Who/What on the Task, the Chatter subjects, the auto-assign header and the objects
 * described by default all derive from it: adding a written sObject is one entry here.
 *
 * Entry order is write order in the call's composite (parents first); objects not listed (custom objects)
 * follow in the order the map first targets them.
 */
export const SOBJECT_RULES: Readonly<Record<string, SObjectRule>> = {
  Account: {
    ...OBJECT_WITHOUT_RULES,
    autoAssigned: true,
    chatterSubject: true,
    describedByDefault: true,
    taskRole: { field: 'WhatId', rank: 2 },
    createDefaults: { Name: ({ caller }) => callerAccountName(caller), Phone: ({ caller }) => caller.phone },
  },
  Contact: {
    ...OBJECT_WITHOUT_RULES,
    parents: ['Account'],
    chatterSubject: true,
    describedByDefault: true,
    taskRole: { field: 'WhoId', rank: 1 },
    createDefaults: PERSON_DEFAULTS,
  },
  Opportunity: {
    ...OBJECT_WITHOUT_RULES,
    parents: ['Account', 'Contact'],
    chatterSubject: true,
    describedByDefault: true,
    taskRole: { field: 'WhatId', rank: 1 },
    createDefaults: {
      Name: ({ caller, callId, catalog }) =>
        cutToLength(
          `${callerAccountName(caller)} - call ${callId}`,
          catalog.field('Opportunity', 'Name')?.length ?? 120,
        ),
      StageName: ({ catalog }) => {
        const stage = catalog.field('Opportunity', 'StageName');
        return stage?.defaultPicklistValue ?? stage?.picklistValues[0];
      },
      CloseDate: ({ now }) =>
        new Date(now.getTime() + DEFAULT_CLOSE_DAYS * DAY_MS).toISOString().slice(0, 10),
    },
  },
  Lead: {
    ...OBJECT_WITHOUT_RULES,
    autoAssigned: true,
    chatterSubject: true,
    describedByDefault: true,
    onlyForUnknownCaller: true,
    taskRole: { field: 'WhoId', rank: 2, alone: true },
    createDefaults: { ...PERSON_DEFAULTS, Company: ({ caller }) => caller.company || '[not provided]' },
  },
  /** One per call, upserted on the call's key; its Who and What come from the `taskRole`s above. */
  [TASK]: {
    ...OBJECT_WITHOUT_RULES,
    deferred: true,
    describedByDefault: true,
    createDefaults: { Subject: () => 'Call' },
  },
  /** Written only when a map targets it; listed for the assignment rules it runs. */
  Case: { ...OBJECT_WITHOUT_RULES, autoAssigned: true },
};
