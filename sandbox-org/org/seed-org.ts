import type { SeedRecord } from '../org-definition/definition-types';
import type { SObjectRecord } from '../store/record-store';
import { formatDateTime } from '../util/dates';
import { createRecord } from '../data-api/dml';
import type { OrgRuntime } from './org-runtime';

/**
 * Fills a fresh org: its Organization record, its users, then the seed records of the definition through the
 * normal create path (so defaults apply), with fields the API cannot set (IsConverted…) written afterwards.
 * Seed records count as indexed long ago, so search sees them at once.
 */
export function seedOrg(org: OrgRuntime, records: Record<string, SeedRecord[]>): void {
  const systemUser = org.users[0].id;
  const longAgo = formatDateTime(Date.UTC(2025, 0, 1));
  const audit = {
    IsDeleted: false,
    CreatedDate: longAgo,
    LastModifiedDate: longAgo,
    SystemModstamp: longAgo,
  };
  const insert = (objectName: string, record: SObjectRecord): void => org.store.insert(objectName, record, 0);

  insert('Organization', {
    ...audit,
    Id: org.id,
    Name: org.name,
    InstanceName: org.instance,
    IsSandbox: true,
    OrganizationType: org.organizationType,
    CreatedById: systemUser,
    LastModifiedById: systemUser,
  });
  for (const user of org.users) {
    insert('User', {
      ...audit,
      Id: user.id,
      Username: user.username,
      FirstName: user.firstName,
      LastName: user.lastName,
      Name: `${user.firstName} ${user.lastName}`,
      Email: user.email,
      Alias: user.firstName.slice(0, 1).toLowerCase() + user.lastName.slice(0, 4).toLowerCase(),
      IsActive: true,
      UserType: 'Standard',
      CreatedById: systemUser,
      LastModifiedById: systemUser,
    });
  }

  const idsByRef = new Map<string, string>();
  // seed data is the org's history: no assignment or duplicate rule runs on it
  const ctx = { org, userId: systemUser, autoAssign: false, enforceDuplicateRules: false, apiVersion: '' };
  for (const [objectName, seeds] of Object.entries(records)) {
    const type = org.schema.object(objectName);
    if (!type) throw new Error(`Seed records for unknown object ${objectName}`);
    for (const { ref, ...seed } of seeds) {
      const values = Object.fromEntries(
        Object.entries(seed).map(([k, v]) => [
          k,
          typeof v === 'string' && v.startsWith('@') ? idsByRef.get(v.slice(1)) : v,
        ]),
      );
      const writable = Object.fromEntries(Object.entries(values).filter(([k]) => type.field(k)?.createable));
      const id = createRecord(ctx, type, writable);
      const created = org.store.get(id);
      if (!created) throw new Error(`Seed record ${objectName} was not stored`);
      org.store.replace({ ...created.record, ...values, ...audit }, 0);
      if (ref) idsByRef.set(ref, id);
    }
  }
}
