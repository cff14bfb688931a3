import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

interface SentRequest {
  method: string;
  url: string;
  body?: unknown;
}

interface LoggedRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** A step of the call: what the agent sends, the caller's details given once and kept by later steps. */
interface ScriptStep {
  intent: string;
  value?: string;
  caller?: Record<string, string>;
}

type SimulatedOperation =
  { kind: 'composite'; request: SentRequest } | { kind: 'chatter-post'; requests: SentRequest[] };

const MAPS = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  call_summary: 'Task.Description',
  qualified: { routing: true, targets: [{ field: 'Lead.Status', value: 'Working - Contacted' }] },
};

/** Record ids (`006…`, or a simulation's `{Opportunity id from step 1}`) and timestamps differ by nature. */
const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const SIMULATED_ID = /^\{\w+ id from step \d+\}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function withoutGeneratedValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutGeneratedValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, withoutGeneratedValues(v)]));
  }
  if (typeof value !== 'string') return value;
  if (SALESFORCE_ID.test(value) || SIMULATED_ID.test(value)) return '<record id>';
  if (TIMESTAMP.test(value)) return '<timestamp>';
  return value.replace(/\/[a-zA-Z0-9]{15,18}$/, '/<record id>');
}

/**
 * A simulation and a real call with the same input make the same Salesforce requests: the simulation's planned
 * requests are compared with what the sandbox org received from the API and the worker. The callers give their
 * numbers in national forms, which a real call reads as E.164 (and a simulation once did not).
 */
describe('Simulation and a real call with the same input', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;

  const dataRequests = async (): Promise<LoggedRequest[]> =>
    (
      (await control(c.sandbox.demo.instanceUrl, 'GET', '/requests')).body as { requests: LoggedRequest[] }
    ).requests.filter((r) => r.path.startsWith('/services/data') && r.method !== 'GET');

  beforeAll(async () => {
    c = await startConnectedTenant();
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(MAPS).expect(200);
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
  });

  it.each<{ name: string; callId: string; script: ScriptStep[] }>([
    {
      name: 'a new caller who books a demo and gets a call summary',
      callId: 'same-input-demo',
      script: [
        {
          intent: 'demo_requested',
          value: '2026-06-01T15:00:00Z',
          caller: { phone: '(650) 555-0188', firstName: 'Mary', lastName: 'Jackson', company: 'Langley' },
        },
        { intent: 'call_summary', value: 'Demo booked for June' },
      ],
    },
    {
      name: 'a routed Lead for a caller with a dotted number',
      callId: 'same-input-lead',
      script: [
        {
          intent: 'qualified',
          caller: { phone: '650.555.0177', firstName: 'Dorothy', lastName: 'Vaughan', company: 'West Area' },
        },
      ],
    },
  ])('$name', async ({ callId, script }) => {
    const simulation = await c.t.http
      .post('/v1/simulations')
      .set(c.admin)
      .send({ callId, script })
      .expect(200);
    expect(simulation.body.problems).toBe(0);
    const simulated = (simulation.body.steps as Array<{ operations: SimulatedOperation[] }>).flatMap((step) =>
      step.operations.flatMap((op) => (op.kind === 'composite' ? [op.request] : op.requests)),
    );

    const before = (await dataRequests()).length;
    let caller = {};
    for (const step of script) {
      caller = { ...caller, ...step.caller };
      await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send({ intent: step.intent, value: step.value, caller })
        .expect((res) => expect(res.status).toBeLessThan(300));
    }
    const received = await eventually(async () => {
      const sent = (await dataRequests()).slice(before);
      expect(sent).toHaveLength(simulated.length);
      return sent;
    });

    expect(
      withoutGeneratedValues(received.map(({ method, path, body }) => ({ method, url: path, body }))),
    ).toEqual(withoutGeneratedValues(simulated.map(({ method, url, body }) => ({ method, url, body }))));
    // The caller's number as E.164 in both, on the record the call created.
    expect(JSON.stringify(simulated)).toMatch(/"Phone":"\+165055501(88|77)"/);
  });

  it('refuses a caller number it cannot read in both: a problem of the step, a 422 of the intent', async () => {
    const step = { intent: 'demo_requested', value: '2026-06-01T15:00:00Z', caller: { phone: '12' } };
    const simulation = await c.t.http
      .post('/v1/simulations')
      .set(c.admin)
      .send({ callId: 'unreadable-number', script: [step] })
      .expect(200);
    expect(simulation.body.steps[0]).toMatchObject({
      operations: [],
      problems: [{ field: 'script[0].caller.phone', code: 'PHONE_INVALID' }],
    });
    const real = await c.t.http
      .post('/v1/calls/unreadable-number/intents')
      .set(c.agent)
      .send(step)
      .expect(422);
    expect(real.body).toMatchObject({ code: 'PHONE_INVALID', problems: [{ field: 'caller.phone' }] });
  });
});
