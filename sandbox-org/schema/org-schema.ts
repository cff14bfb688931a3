import type { ObjectSpec } from '../org-definition/definition-types';
import { SObjectType, type ChildRelationship } from './sobject-type';

/** Every sObject type of one org, looked up case-insensitively by name or by id key prefix. */
export class OrgSchema {
  private readonly byLowerName = new Map<string, SObjectType>();
  private readonly byKeyPrefix = new Map<string, SObjectType>();

  constructor(objects: Record<string, ObjectSpec>) {
    for (const [name, spec] of Object.entries(objects)) {
      const type = new SObjectType(name, spec);
      this.byLowerName.set(name.toLowerCase(), type);
      this.byKeyPrefix.set(type.keyPrefix, type);
    }
    for (const child of this.types) {
      for (const { parent, describe } of childRelationshipsOf(child)) {
        const siblings = this.object(parent)?.childRelationships;
        if (!siblings) continue;
        // a second custom lookup from the same child gets a name of its own
        if (siblings.some((r) => r.relationshipName === describe.relationshipName)) {
          describe.relationshipName = `${child.name.replace(/__c$/, '')}_${describe.field.replace(/__c$/, '')}__r`;
        }
        siblings.push(describe);
      }
    }
  }

  get types(): SObjectType[] {
    return [...this.byLowerName.values()];
  }

  object(name: string): SObjectType | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  objectForId(id: string): SObjectType | undefined {
    return this.byKeyPrefix.get(id.slice(0, 3));
  }
}

function plural(name: string): string {
  return name.endsWith('y') ? `${name.slice(0, -1)}ies` : `${name}s`;
}

/**
 * Parent → child relationships from writable reference fields (not owner/audit fields), named like
 * Salesforce's: `Contacts`, `Opportunities`, `ChildAccounts` for a self-reference, `Support_Cases__r` for a
 * custom lookup. Computed once from the definition (fields added later through the control API don't add any).
 */
function childRelationshipsOf(child: SObjectType): { parent: string; describe: ChildRelationship }[] {
  if (child.readOnly) return [];
  return child.fields
    .filter((field) => field.type === 'reference' && field.createable && field.name !== 'OwnerId')
    .flatMap((field) =>
      field.referenceTo.map((parent) => ({
        parent,
        describe: {
          cascadeDelete: false,
          childSObject: child.name,
          deprecatedAndHidden: false,
          field: field.name,
          junctionIdListNames: [],
          junctionReferenceTo: [],
          relationshipName: field.custom
            ? `${plural(child.name.replace(/__c$/, ''))}__r`
            : parent === child.name
              ? `Child${plural(child.name)}`
              : plural(child.name),
          restrictedDelete: false,
        },
      })),
    );
}
