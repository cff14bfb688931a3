import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/test-worker';

type Row = Record<string, unknown>;
interface Tool {
  name: string;
  description: string;
  parameters: Row & { properties: Record<string, Row> };
}

const MAPS = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  demo_now: {
    targets: [
      { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
      { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
    ],
  },
  budget: { valueType: 'number', targets: [{ field: 'Opportunity.Amount', value: '$value' }] },
};

const JANE = { phone: '+14155551212', firstName: 'Jane', lastName: 'Doe' };

describe('Agent tools: JSON-schema definitions and the MCP endpoint (sandbox org, API + worker)', () => {
  let c: ConnectedTenant;
  let worker: TestWorker;
  let baseUrl: string;

  const tools = async () =>
    (await c.t.http.get('/v1/agent-tools').set(c.agent).expect(200)).body.tools as Tool[];
  const intentTool = async () => (await tools()).find((tool) => tool.name === 'record_intent')!;
  const records = async (object: string) =>
    (await control(c.sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];

  async function mcpClient(headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: 'aicall-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/v1/mcp', baseUrl), { requestInit: { headers } }),
    );
    return client;
  }

  beforeAll(async () => {
    c = await startConnectedTenant();
    worker = await startTestWorker();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(MAPS).expect(200);
    await c.t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await c.t.app.getUrl();
  });
  afterAll(async () => {
    await worker.close();
    await c.close();
  });

  describe('GET /v1/agent-tools', () => {
    it('needs an agent key', async () => {
      await c.t.http.get('/v1/agent-tools').expect(401);
      await c.t.http.get('/v1/agent-tools').set(c.admin).expect(403);
    });

    it('lists lookup, intent and completion, with the intents of the live maps and their value rules', async () => {
      const list = await tools();
      expect(list.map((tool) => tool.name)).toEqual(['lookup_caller', 'record_intent', 'complete_call']);
      for (const tool of list) {
        expect(tool.description.length).toBeGreaterThan(20);
        expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
      }
      const intent = list[1];
      expect(intent.parameters.properties.intent.enum).toEqual([
        'budget',
        'demo_now',
        'demo_requested',
        'qualified',
      ]);
      // Short forms: a datetime implies $now, and "qualified" names a Lead Status value: a value is optional.
      expect(intent.description).toContain(
        "- demo_requested: no value needed; may send a datetime value instead of the map's default",
      );
      expect(intent.description).toContain('- demo_now: no value');
      expect(intent.description).toContain('- budget: needs a number value');
      expect(intent.description).toMatch(
        /- qualified: no value needed; may send a picklist value \(one of: Open - Not Contacted, .*Qualified/,
      );
    });

    it('is a schema a validator enforces: a value of the map type, required where no default stands in', async () => {
      const ajv = new Ajv({ strict: false });
      addFormats(ajv);
      const validate = ajv.compile((await intentTool()).parameters);
      const call = { callId: 'call-1', caller: JANE };
      expect(validate({ ...call, intent: 'demo_requested', value: '2026-06-01T15:00:00Z' })).toBe(true);
      expect(validate({ ...call, intent: 'demo_requested' })).toBe(true);
      expect(validate({ ...call, intent: 'demo_requested', value: 'tomorrow' })).toBe(false);
      expect(validate({ ...call, intent: 'demo_now' })).toBe(true);
      expect(validate({ ...call, intent: 'budget', value: 1200.5 })).toBe(true);
      expect(validate({ ...call, intent: 'budget', value: '1200' })).toBe(false);
      expect(validate({ ...call, intent: 'budget' })).toBe(false);
      expect(validate({ ...call, intent: 'qualified', value: 'Working - Contacted' })).toBe(true);
      expect(validate({ ...call, intent: 'qualified', value: 'Maybe' })).toBe(false);
      expect(validate({ ...call, intent: 'unknown_intent' })).toBe(false);
    });

    it('offers a newly saved map at once, and drops a deleted one', async () => {
      await c.t.http
        .put('/v1/mappings/follow_up')
        .set(c.admin)
        .send({ valueType: 'date', targets: [{ field: 'Opportunity.CloseDate', value: '$value' }] })
        .expect(200);
      let intent = await intentTool();
      expect(intent.parameters.properties.intent.enum).toContain('follow_up');
      expect(intent.description).toContain('- follow_up: needs a date value');

      await c.t.http.delete('/v1/mappings/follow_up').set(c.admin).expect(204);
      intent = await intentTool();
      expect(intent.parameters.properties.intent.enum).not.toContain('follow_up');
    });
  });

  describe('MCP endpoint /v1/mcp', () => {
    it('refuses a client without the agent key, and an admin key', async () => {
      await expect(mcpClient({})).rejects.toThrow(/401/);
      await expect(mcpClient(c.admin)).rejects.toThrow(/403/);
    });

    it('lists the same tools as GET /v1/agent-tools', async () => {
      const client = await mcpClient(c.agent);
      try {
        const listed = await client.listTools();
        const rest = await tools();
        expect(
          listed.tools.map(({ name, description, inputSchema }) => ({
            name,
            description,
            parameters: inputSchema,
          })),
        ).toEqual(rest);
      } finally {
        await client.close();
      }
    });

    it('plays a call through the tools: lookup, intent written in the org, completion logged as a Task', async () => {
      const client = await mcpClient(c.agent);
      try {
        const lookup = await client.callTool({
          name: 'lookup_caller',
          arguments: { phone: JANE.phone, callId: 'mcp-call' },
        });
        expect(lookup.isError).toBe(false);
        const jane = (lookup.structuredContent as { matches: Row[] }).matches[0];
        expect(jane).toMatchObject({ object: 'Contact', name: 'Jane Doe' });

        const written = await client.callTool({
          name: 'record_intent',
          arguments: {
            callId: 'mcp-call',
            intent: 'demo_requested',
            value: '2026-06-01T15:00:00Z',
            caller: JANE,
          },
        });
        expect(written.isError).toBe(false);
        const body = written.structuredContent as { status: string; records: Record<string, string> };
        expect(body).toMatchObject({
          status: 'written',
          records: { Contact: jane.id, Opportunity: expect.stringMatching(/^006/) },
        });
        const opportunity = (await records('Opportunity')).find((r) => r.Id === body.records.Opportunity);
        expect(opportunity).toMatchObject({
          Demo_Requested_At__c: expect.stringContaining('2026-06-01T15:00:00'),
        });

        const completed = await client.callTool({
          name: 'complete_call',
          arguments: {
            callId: 'mcp-call',
            summary: 'Booked a demo',
            durationSeconds: 95,
            direction: 'inbound',
          },
        });
        expect(completed.structuredContent).toMatchObject({ status: 'queued' });
        await eventually(async () => {
          const task = (await records('Task')).find(
            (r) => r.AICall_External_Id__c === `${c.tenantId}:mcp-call`,
          );
          expect(task).toMatchObject({ Description: 'Booked a demo', WhoId: jane.id });
        });
      } finally {
        await client.close();
      }
    });

    it('answers refusals as tool errors carrying the REST error envelope', async () => {
      const client = await mcpClient(c.agent);
      try {
        const unknown = await client.callTool({
          name: 'record_intent',
          arguments: { callId: 'mcp-call-2', intent: 'no_such_intent', caller: JANE },
        });
        expect(unknown.isError).toBe(true);
        expect(unknown.structuredContent).toMatchObject({ statusCode: 422, code: 'INTENT_UNKNOWN' });

        const missing = await client.callTool({
          name: 'record_intent',
          arguments: { callId: 'mcp-call-2', intent: 'budget', caller: JANE },
        });
        expect(missing.structuredContent).toMatchObject({
          statusCode: 422,
          code: expect.stringMatching(/VALUE_MISSING|VALIDATION/),
        });

        const invalid = await client.callTool({
          name: 'lookup_caller',
          arguments: { phone: JANE.phone, extra: 1 },
        });
        expect(invalid.structuredContent).toMatchObject({ statusCode: 422, code: 'VALIDATION_FAILED' });
      } finally {
        await client.close();
      }
    });
  });
});
