/**
 * Saving a 250-intent map set (PUT /v1/mappings, all or nothing) against the sandbox org's metadata, 200+
 * custom fields loaded into the mapping tables. Times the whole HTTP request (parse, load metadata and the
 * connection profile, validate every target, store 250 versions in one transaction) and reports p50/p95.
 * Target: under 200 ms. Needs Postgres and Redis on localhost, like the tests.
 *
 *   npx ts-node --transpile-only bench/mapping-save.ts [iterations=40]
 */
import { startSandboxOrg } from '../sandbox-org';
import { naturalValueType } from '../src/modules/mapping/rules/type-compatibility';
import { bearer, operator, startTestApp } from '../test/support/test-app';

const ITERATIONS = Number(process.argv[2] ?? 40);
const WARMUP = 5;
const OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Task',
  'Product_Interest__c',
  'Support_Case__c',
];

interface FieldView {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const sandbox = await startSandboxOrg();
  const t = await startTestApp();
  try {
    const tenant = await t.http
      .post('/v1/tenants')
      .set(operator)
      .send({ name: 'Bench', region: 'us' })
      .expect(201);
    const issued = await t.http
      .post(`/v1/tenants/${tenant.body.id}/api-keys`)
      .set(operator)
      .send({ role: 'admin' })
      .expect(201);
    const admin = bearer(issued.body.key as string);
    await t.http
      .put('/v1/connection')
      .set(admin)
      .send({
        flow: 'client_credentials',
        loginUrl: sandbox.loginUrl,
        profile: 'standard',
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
      })
      .expect(200);
    const refreshed = await t.http
      .post('/v1/metadata/refresh')
      .set(admin)
      .send({ objects: OBJECTS })
      .expect(200);

    let fieldCount = 0;
    let customCount = 0;
    const set: Record<string, unknown> = {};
    for (const object of refreshed.body.objects as Array<{ name: string; fields: FieldView[] }>) {
      fieldCount += object.fields.length;
      const custom = object.fields.filter((field) => field.name.endsWith('__c'));
      customCount += custom.length;
      for (const field of custom) {
        if (field.externalId || !field.createable || !field.updateable || !naturalValueType(field)) continue;
        set[`${object.name}_${field.name}`.toLowerCase()] = `${object.name}.${field.name}`;
      }
    }
    for (let i = Object.keys(set).length; i < 250; i++) {
      set[`follow_up_${i}`] = {
        valueType: 'none',
        targets: [
          { field: 'Opportunity.NextStep', value: `Follow-up ${i}` },
          { field: 'Opportunity.StageName', value: 'Qualification' },
          { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        ],
      };
    }
    const targets = Object.values(set).reduce<number>(
      (sum, map) => sum + (typeof map === 'string' ? 1 : (map as { targets: unknown[] }).targets.length),
      0,
    );

    const times: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const started = process.hrtime.bigint();
      await t.http.put('/v1/mappings').set(admin).send(set).expect(200);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (i >= WARMUP) times.push(ms);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      JSON.stringify(
        {
          intents: Object.keys(set).length,
          targets,
          objects: OBJECTS.length,
          fieldsLoaded: fieldCount,
          customFieldsLoaded: customCount,
          iterations: ITERATIONS,
          saveMs: {
            p50: round(percentile(sorted, 50)),
            p95: round(percentile(sorted, 95)),
            max: round(sorted.at(-1)!),
          },
          targetMs: 200,
        },
        null,
        2,
      ),
    );
  } finally {
    await t.close();
    await sandbox.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
