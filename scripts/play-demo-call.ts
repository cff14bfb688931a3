/**
 * `npm run demo:call`: plays one whole call against a running `npm start` as the AI agent would — look the
 * caller up, send the `demo_requested` intent, complete the call — then shows what landed in the sandbox org.
 * Needs AGENT_KEY (printed by `npm start`); API_URL and SANDBOX_URL default to the `npm start` addresses.
 */
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
const sandboxUrl = process.env.SANDBOX_URL ?? 'http://127.0.0.1:7401';
const agentKey = process.env.AGENT_KEY;
const CALLER_PHONE = '+14155551212';

async function main(): Promise<void> {
  if (!agentKey) throw new Error('Set AGENT_KEY to the demo agent key that `npm start` printed.');
  const callId = `demo-call-${Date.now()}`;

  const lookup = await agent('GET', `/v1/lookup?phone=${encodeURIComponent(CALLER_PHONE)}&callId=${callId}`);
  show(`1. lookup ${CALLER_PHONE}`, lookup);

  // Map by intent: the agent names what happened; the short-form map implies the value ($now for a datetime).
  const intent = await agent('POST', `/v1/calls/${callId}/intents`, {
    intent: 'demo_requested',
    caller: { phone: CALLER_PHONE },
  });
  show('2. intent demo_requested (no value: the map writes the time of the request)', intent);

  const completion = await agent('POST', `/v1/calls/${callId}/complete`, {
    summary: 'Caller asked for a product demo next week.',
    durationSeconds: 187,
    direction: 'inbound',
    disposition: 'Demo booked',
  });
  show('3. call completed', completion);

  const writeId = (completion as { writeId: string }).writeId;
  const task = await waitForWrite(writeId);
  show('4. the call logged as a Task (written by the worker)', task);

  const written = { ...(intent as { records?: object }).records, ...(task as { records?: object }).records };
  for (const [object, id] of Object.entries(written)) {
    const records = (await (await fetch(`${sandboxUrl}/__sandbox/records/${object}`)).json()) as Array<{
      Id: string;
    }>;
    show(
      `   in the sandbox org: ${object} ${String(id)}`,
      withoutEmptyFields(records.find((record) => record.Id === id)),
    );
  }
}

async function agent(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${agentKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer: unknown = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Completion is answered at once (202); the worker writes the Task a moment later. */
async function waitForWrite(writeId: string): Promise<unknown> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const write = (await agent('GET', `/v1/writes/${writeId}`)) as { status: string };
    if (write.status === 'written' || write.status === 'dead') return write;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`write ${writeId} was not finished within 10 s`);
}

/** Orgs have hundreds of custom fields; show the ones that hold something. */
function withoutEmptyFields(record: object | undefined): object | undefined {
  return (
    record &&
    Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== false))
  );
}

function show(title: string, value: unknown): void {
  process.stdout.write(`\n${title}\n${JSON.stringify(value, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
