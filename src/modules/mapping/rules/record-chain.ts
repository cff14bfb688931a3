import { CHATTER } from './intent-map-definition';

/**
 * Which records one intent writes, beyond the ones it targets: an Opportunity is written with its Account and
 * Contact (one composite, product.md §4b), a Contact with its Account. Validation and the write plan share this.
 */
export const CHAIN: Readonly<Record<string, readonly string[]>> = {
  Account: ['Account'],
  Contact: ['Account', 'Contact'],
  Opportunity: ['Account', 'Contact', 'Opportunity'],
};

const CHAIN_ORDER = ['Account', 'Contact', 'Opportunity', 'Lead'];

/**
 * Every sObject the plan upserts for these target objects, parents first (Account, Contact, Opportunity,
 * Lead, then the rest in the order first targeted). Chatter is not an sObject write.
 */
export function objectsWritten(targetObjects: Iterable<string>): string[] {
  const written = new Set<string>();
  for (const object of targetObjects) {
    if (object === CHATTER) continue;
    for (const parent of CHAIN[object] ?? [object]) written.add(parent);
  }
  const ordered = CHAIN_ORDER.filter((object) => written.has(object));
  return [...ordered, ...[...written].filter((object) => !CHAIN_ORDER.includes(object))];
}

/** Fields the write plan fills itself when it creates the record (from the caller, defaults, references). */
export const PLAN_SUPPLIED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name', 'Phone'],
  Contact: ['LastName', 'FirstName', 'Phone', 'Email', 'AccountId'],
  Opportunity: ['Name', 'StageName', 'CloseDate', 'AccountId', 'ContactId'],
  Lead: ['LastName', 'FirstName', 'Company', 'Phone', 'Email'],
  Task: ['Subject', 'WhoId', 'WhatId'],
};
