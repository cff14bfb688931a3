/**
 * Saving a 250-intent map set (PUT /v1/mappings, all or nothing) against the sandbox org's metadata, 200+
 * custom fields loaded into the mapping tables. Times the whole HTTP request (parse, load metadata and the
 * connection profile, validate every target, store 250 versions in one transaction) and reports p50/p95.
 * Target: under 200 ms. Needs Postgres and Redis on localhost, like the tests.
 *
 *   npx ts-node --transpile-only bench/mapping-save.ts [iterations=40]
 */
import { startConnectedTenant } from '../test/support/connected-tenant';
import { type FieldView, LARGE_ORG_OBJECTS as OBJECTS, largeMapSet } from '../test/support/large-map-set';

const ITERATIONS = Number(process.argv[2] ?? 40);
const WARMUP = 5;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const c = await startConnectedTenant();
  const admin = c.admin;
  const t = c.t;
  try {
    const refreshed = await t.http
      .post('/v1/metadata/refresh')
      .set(admin)
      .send({ objects: OBJECTS })
      .expect(200);
    const objects = refreshed.body.objects as Array<{ name: string; fields: FieldView[] }>;
    const fieldCount = objects.reduce((sum, object) => sum + object.fields.length, 0);
    const { set, customFields: customCount, targets } = largeMapSet(objects);

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
    await c.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
