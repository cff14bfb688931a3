import type { ObjectSpec } from '../org-definition/definition-types';
import { SObjectType } from './sobject-type';

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
