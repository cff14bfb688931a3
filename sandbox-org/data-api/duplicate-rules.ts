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

interface KeyField {
  name: string;
  normalize: (value: unknown) => string;
}

interface StandardRule {
  duplicateRule: string;
  matchRule: string;
  /**
   * Two records match when, for any key, every field of it is non-blank and equal after normalising. Each key
   * is indexed by the record store, so a save costs lookups, not a scan of the object's records.
   */
  keys: KeyField[][];
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
const phoneDigits = (value: unknown): string => text(value).replace(/\D/g, '');
const field = (name: string, normalize = text): KeyField => ({ name, normalize });

const RULES: Record<string, StandardRule> = {
  Lead: {
    duplicateRule: 'Standard_Lead_Duplicate_Rule',
    matchRule: 'Standard_Lead_Match_Rule_v1_0',
    keys: [[field('Email')], [field('FirstName'), field('LastName'), field('Company')]],
  },
  Contact: {
    duplicateRule: 'Standard_Contact_Duplicate_Rule',
    matchRule: 'Standard_Contact_Match_Rule_v1_0',
    keys: [[field('Email')], [field('FirstName'), field('LastName'), field('AccountId')]],
  },
  // the same name, and the same phone digits or the same website
  Account: {
    duplicateRule: 'Standard_Account_Duplicate_Rule',
    matchRule: 'Standard_Account_Match_Rule_v1_0',
    keys: [
      [field('Name'), field('Phone', phoneDigits)],
      [field('Name'), field('Website')],
    ],
  },
};

/**
 * The match keys of a record (`RecordStore` indexes them): one per rule key whose fields are all non-blank,
 * as blank fields never match. Converted leads are read-only history, never offered as a match [belief].
 */
export function duplicateMatchKeys(objectName: string, record: SObjectRecord): string[] {
  const rule = RULES[objectName];
  if (!rule || record.IsConverted === true) return [];
  return rule.keys.flatMap((fields, index) => {
    const parts = fields.map((f) => f.normalize(record[f.name]));
    return parts.includes('') ? [] : [[objectName, index, ...parts].join('\u0000')];
  });
}

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
  const matchIds = new Set(
    duplicateMatchKeys(objectName, record).flatMap((k) => org.store.findByMatchKey(k)),
  );
  matchIds.delete(record.Id);
  if (matchIds.size === 0) return;
  // ids grow with creation order (fixed-width base-62 counter), so sorting lists the oldest match first
  const matches = [...matchIds].sort();
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
            matchRecords: matches.map((matchId) => ({
              additionalInformation: [],
              fieldDiffs: [],
              matchConfidence: 100.0,
              record: {
                attributes: {
                  type: objectName,
                  url: `/services/data/v${apiVersion}/sobjects/${objectName}/${matchId}`,
                },
                Id: matchId,
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
