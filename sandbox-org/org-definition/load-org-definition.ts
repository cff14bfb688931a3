import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldSpec, InstanceSpec, ObjectSpec, OrgSpec, SandboxDefinition } from './definition-types';

/** Reads the versioned org definition once at start-up (never per request). */
export function loadSandboxDefinition(): SandboxDefinition {
  const read = <T>(file: string): T => JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as T;
  const { instances, orgs } = read<{ instances: InstanceSpec[]; orgs: OrgSpec[] }>('orgs.json');
  const objects = read<Record<string, ObjectSpec>>('objects.json');
  const customFields = read<Record<string, Record<string, FieldSpec>>>('custom-fields.json');
  for (const [objectName, fields] of Object.entries(customFields)) {
    Object.assign(objects[objectName].fields, fields);
  }
  return { instances, orgs, objects };
}

export function readDemoJwtPrivateKey(): string {
  return readFileSync(join(__dirname, 'demo-jwt-private-key.pem'), 'utf8');
}
