import type { OrgRuntime } from '../org/org-runtime';
import type { SObjectRecord } from '../store/record-store';
import { RestError } from '../http/errors';

/**
 * The standard duplicate rules every org ships active (§5.2, §6.3 DUPLICATES_DETECTED): a create or update of a
 * Lead, Contact or Account that matches another record of the same object is blocked unless the request says
 * `Sforce-Duplicate-Rule-Header: allowSave=true` (§7). A record never matches itself; blank fields never match
 * (the matching rules' "match blank fields" is off). The exact match keys and the error body are [belief]
 * (sandbox-org/README.md); an org can switch the rules off with the `duplicateRules` setting.
 */

type Matcher = (candidate: SObjectRecord, other: SObjectRecord) => boolean;

interface StandardRule {
  duplicateRule: string;
  matchRule: string;
  matches: Matcher;
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
const digits = (value: unknown): string => text(value).replace(/\D/g, '');

/** Every named field present on both records and equal (case-insensitive). */
const sameValues =
  (normalize: (value: unknown) => string, ...fields: string[]): Matcher =>
  (candidate, other) =>
    fields.every((field) => {
      const value = normalize(candidate[field]);
      return value !== '' && value === normalize(other[field]);
    });

const either =
  (...matchers: Matcher[]): Matcher =>
  (candidate, other) =>
    matchers.some((matches) => matches(candidate, other));

const RULES: Record<string, StandardRule> = {
  Lead: {
    duplicateRule: 'Standard_Lead_Duplicate_Rule',
    matchRule: 'Standard_Lead_Match_Rule_v1_0',
    matches: either(sameValues(text, 'Email'), sameValues(text, 'FirstName', 'LastName', 'Company')),
  },
  Contact: {
    duplicateRule: 'Standard_Contact_Duplicate_Rule',
    matchRule: 'Standard_Contact_Match_Rule_v1_0',
    matches: either(sameValues(text, 'Email'), sameValues(text, 'FirstName', 'LastName', 'AccountId')),
  },
  Account: {
    duplicateRule: 'Standard_Account_Duplicate_Rule',
    matchRule: 'Standard_Account_Match_Rule_v1_0',
    matches: (candidate, other) =>
      sameValues(text, 'Name')(candidate, other) &&
      either(sameValues(digits, 'Phone'), sameValues(text, 'Website'))(candidate, other),
  },
};

/** `allowSave=true` in `Sforce-Duplicate-Rule-Header`, parts separated by `;`, any spacing or case. */
export function allowsDuplicateSave(header: string | undefined): boolean {
  return (header ?? '').split(';').some((part) => {
    const [name, value] = part.split('=').map((s) => s.trim().toLowerCase());
    return name === 'allowsave' && value === 'true';
  });
}

/** Throws 400 DUPLICATES_DETECTED when an active standard rule finds other records like `record`. */
export function checkDuplicateRules(
  org: OrgRuntime,
  objectName: string,
  record: SObjectRecord,
  apiVersion: string,
): void {
  const rule = RULES[objectName];
  if (!rule || !org.settings.duplicateRules) return;
  // converted leads are read-only history, never offered as a match [belief]
  const matches = org.store
    .records(objectName)
    .filter((other) => other.Id !== record.Id && other.IsConverted !== true && rule.matches(record, other));
  if (matches.length === 0) return;
  throw new RestError(400, [
    {
      message: 'Use one of these records?',
      errorCode: 'DUPLICATES_DETECTED',
      fields: [],
      duplicateResult: {
        allowSave: true,
        duplicateRule: rule.duplicateRule,
        duplicateRuleEntityType: objectName,
        errorMessage: "You're creating a duplicate record. We recommend you use an existing record instead.",
        includeRecordDetails: false,
        matchResults: [
          {
            entityType: objectName,
            errors: [],
            matchEngine: 'FuzzyMatchEngine',
            matchRecords: matches.map((match) => ({
              additionalInformation: [],
              fieldDiffs: [],
              matchConfidence: 100.0,
              record: {
                attributes: {
                  type: objectName,
                  url: `/services/data/v${apiVersion}/sobjects/${objectName}/${match.Id}`,
                },
                Id: match.Id,
              },
            })),
            rule: rule.matchRule,
            size: matches.length,
            success: true,
          },
        ],
      },
    },
  ]);
}
