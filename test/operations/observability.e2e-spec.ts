import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

const DEPLOY = join(__dirname, '..', '..', 'deploy');

interface Dashboard {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
}
interface RuleFile {
  groups: Array<{
    name: string;
    rules: Array<{ alert: string; expr: string; for?: string; labels: Row; annotations: Row }>;
  }>;
}
type Row = Record<string, string>;

const dashboard = JSON.parse(
  readFileSync(join(DEPLOY, 'grafana', 'aicall-connector.dashboard.json'), 'utf8'),
) as Dashboard;
const rules = parse(readFileSync(join(DEPLOY, 'prometheus', 'aicall-alerts.rules.yml'), 'utf8')) as RuleFile;

const dashboardExpressions = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => target.expr),
);
const ruleExpressions = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));

/** Metric names in PromQL: every identifier with one of our prefixes (labels and functions have none). */
function metricNames(expressions: string[]): string[] {
  const names = expressions.flatMap(
    (expr) => expr.match(/\b(?:aicall|http|process|nodejs)_[A-Za-z0-9_:]*/g) ?? [],
  );
  return [...new Set(names)].sort();
}

/** Every sample name /metrics can carry: each `# TYPE` line, with the series a histogram adds. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const sample = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1] ?? NaN,
  );

describe('Grafana dashboard and Prometheus alert rules against the running service', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;
  const workerPort = 19464 + (process.pid % 500);

  beforeAll(async () => {
    c = await startConnectedTenant({ env: { WORKER_METRICS_PORT: String(workerPort) } });
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({ demo_requested: 'Opportunity.Demo_Requested_At__c' });
    // Exercise the mid-call path so that the labelled series exist, not only their names.
    await c.t.http
      .get('/v1/lookup')
      .query({ phone: '+14155551212', callId: 'obs-1' })
      .set(c.agent)
      .expect(200);
    await c.t.http
      .post('/v1/calls/obs-1/intents')
      .set(c.agent)
      .send({ intent: 'demo_requested', value: '2026-06-01T15:00:00Z', caller: { phone: '+14155551212' } })
      .expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
    delete process.env.WORKER_METRICS_PORT;
  });

  it('the dashboard covers own time, Salesforce time, writes, retries, dead letters, API usage, pools and queues', () => {
    expect(metricNames(dashboardExpressions)).toEqual([
      'aicall_dead_letters_total',
      'aicall_http_own_duration_seconds_bucket',
      'aicall_http_salesforce_duration_seconds_bucket',
      'aicall_queue_jobs',
      'aicall_salesforce_api_usage',
      'aicall_salesforce_pool_sockets',
      'aicall_salesforce_request_duration_seconds_bucket',
      'aicall_write_attempts_total',
      'aicall_writes_total',
      'http_request_duration_seconds_count',
    ]);
  });

  it('the rules alert on dead letters, API usage above 90 % and own-time p99 above 10 ms', () => {
    const byName = Object.fromEntries(
      rules.groups.flatMap((group) => group.rules).map((rule) => [rule.alert, rule]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'AicallDeadLetters',
      'AicallOwnTimeP99OverBudget',
      'AicallSalesforceApiUsageHigh',
    ]);
    expect(byName.AicallSalesforceApiUsageHigh.expr).toMatch(/> 0\.9$/);
    expect(byName.AicallOwnTimeP99OverBudget.expr).toMatch(/histogram_quantile\(0\.99,[\s\S]*> 0\.010$/);
    for (const rule of Object.values(byName)) {
      expect(rule.labels.severity).toBeDefined();
      expect(rule.annotations.summary).toBeDefined();
    }
  });

  it('every metric the dashboard and the rules name is exposed by the API at /metrics', async () => {
    const exposed = exposedNames((await c.t.http.get('/metrics').expect(200)).text);
    const missing = metricNames([...dashboardExpressions, ...ruleExpressions]).filter(
      (name) => !exposed.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('records own time and Salesforce time per route, writes by outcome and API usage per tenant', async () => {
    const text = (await c.t.http.get('/metrics').expect(200)).text;
    const route = 'method="POST",route="/v1/calls/:callId/intents"';
    expect(sample(text, `aicall_http_own_duration_seconds_count{${route}}`)).toBe(1);
    expect(sample(text, `aicall_http_salesforce_duration_seconds_count{${route}}`)).toBe(1);
    expect(sample(text, `aicall_http_salesforce_duration_seconds_sum{${route}}`)).toBeGreaterThan(0);
    expect(sample(text, 'aicall_writes_total{outcome="written"}')).toBe(1);
    expect(
      sample(text, 'aicall_write_attempts_total{via="in-call",outcome="written",error_class="none"}'),
    ).toBe(1);
    expect(
      sample(text, `aicall_salesforce_api_usage{tenant_id="${c.tenantId}",kind="limit"}`),
    ).toBeGreaterThan(0);
  });

  it('the worker serves its own metrics on WORKER_METRICS_PORT', async () => {
    await c.t.http
      .post('/v1/calls/obs-1/complete')
      .set(c.agent)
      .send({ summary: 'Observed', durationSeconds: 10, direction: 'inbound' })
      .expect(202);
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${workerPort}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sample(text, 'aicall_writes_total{outcome="written"}')).toBe(1);
      expect(exposedNames(text).has('aicall_queue_jobs')).toBe(true);
    });
    expect((await fetch(`http://127.0.0.1:${workerPort}/anything`)).status).toBe(404);
  });
});
