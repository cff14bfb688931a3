import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { ensureConsoleBuilt } from '../../scripts/console-build';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../src/bootstrap/console-static';
import { addTenant, type TestTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { bearer, startTestApp, TEST_OPERATOR_KEY, type TestApp } from '../support/test-app';
import { startTestWorker, type TestWorker } from '../support/test-worker';

/** Debian's Chromium, headless, with the flags it needs in containers and CI (no browser download here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const SCREENSHOTS = join(__dirname, '../../test-results/console');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * The admin console in a real browser against the real API, worker, Postgres, Redis and the sandbox org: each
 * test is one thing an admin does, ends with a screenshot (CI artifact) and an axe scan of the screen.
 */
describe('Admin console in Chromium (API + worker + sandbox org)', () => {
  let t: TestApp;
  let sandbox: SandboxOrg;
  let worker: TestWorker;
  let tenant: TestTenant;
  let browser: Browser;
  let page: Page;
  let base: string;
  const adminKey = () => tenant.admin.Authorization.replace('Bearer ', '');

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp({ RETRY_SCHEDULE_MS: '50,100', OUTBOX_SWEEP_INTERVAL_MS: '1000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    sandbox = await startSandboxOrg({ extraCallbackUrls: [`${base}/v1/connection/oauth/callback`] });
    worker = await startTestWorker();
    tenant = await addTenant(t, { name: 'Console Co' });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    // This app listens on a real port: drop the sockets the browser left open, or closing waits about a minute
    // for them (past the hook's timeout on Node 24).
    t?.app.getHttpServer().closeAllConnections();
    await t?.close();
    await sandbox?.close();
  });

  async function screen(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.evaluate(AXE_SOURCE);
    // Strings, not functions: the browser's globals are not in this project's (Node) type library.
    const violations = await page.evaluate<AxeViolation[]>('axe.run().then((result) => result.violations)');
    const serious = violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.id}: ${violation.help} at ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    expect(serious).toEqual([]);
  }

  const openScreen = async (label: string) => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: label }).click();
  };

  it('serves the console with a strict CSP, an uncached shell and long-cached hashed assets', async () => {
    const shell = await fetch(`${base}/console/maps`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${base}${asset}`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base}/console/assets/index-gone.js`)).status).toBe(404);
    expect((await fetch(`${base}/console/..%2f..%2fpackage.json`)).headers.get('content-type')).toContain(
      'text/html',
    );
  });

  it('opens the operator view for the operator key: issue a key shown once, then revoke it', async () => {
    const operatorPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await operatorPage.goto(`${base}/console/`);
      await operatorPage.getByLabel('API key').fill(TEST_OPERATOR_KEY);
      await operatorPage.getByRole('button', { name: 'Sign in' }).click();
      await operatorPage.getByRole('button', { name: 'Keys of Console Co' }).click();
      await operatorPage.getByLabel('Label').fill('browser test');
      await operatorPage.getByRole('button', { name: 'Create key' }).click();
      const issued = (await operatorPage.getByTestId('issued-key').textContent()) ?? '';
      expect(issued).toMatch(/^aick_admin_/);
      await operatorPage.getByRole('button', { name: 'Copy key' }).waitFor();
      await t.http.get('/v1/tenant').set(bearer(issued)).expect(200);
      await operatorPage.keyboard.press('Escape');
      await operatorPage.getByRole('dialog').waitFor({ state: 'detached' });
      expect(await operatorPage.content()).not.toContain(issued);
      const row = operatorPage.getByRole('row', { name: /browser test/ });
      await row.getByRole('button', { name: /^Revoke key/ }).click();
      await row.getByText('revoked').waitFor();
      await t.http.get('/v1/tenant').set(bearer(issued)).expect(401);
      page = operatorPage;
      await screen('00-operator');
    } finally {
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await operatorPage.close();
    }
  });

  it('signs in with an admin key kept in sessionStorage only, and lands on the go-live checklist', async () => {
    await page.goto(`${base}/console/`);
    // Keyboard only: the key field takes focus by tab, Enter submits.
    const keyField = page.getByLabel('API key');
    await keyField.waitFor();
    await page.keyboard.press('Tab');
    expect(await keyField.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(adminKey());
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Go-live checklist' }).waitFor();
    await page.getByText('Not ready yet').waitFor();
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length })');
    expect(stored).toEqual({ local: 0, session: 1 });
    await screen('01-go-live-not-ready');
  });

  it("connects through the sandbox org's authorize page and comes back to the console connected", async () => {
    await openScreen('Connection');
    await page.getByText('Disconnected', { exact: false }).first().waitFor();
    await page.getByText('My Domain').click();
    await page.getByLabel('My Domain URL').fill(sandbox.loginUrl);
    await page.getByLabel('Consumer key (client id)').fill(sandbox.demo.clientId);
    await page.getByLabel('Consumer secret (optional with PKCE)').fill(sandbox.demo.clientSecret);
    await page.getByRole('button', { name: 'Connect with Salesforce' }).click();
    await page.waitForURL(/\/console\/connection\?oauth=connected/);
    await page.getByText('Connected with Salesforce').waitFor();
    await page.getByLabel('status connected').waitFor();
    await page.getByText(/Daily API usage \d/).waitFor();
    expect(await page.content()).not.toContain(sandbox.demo.clientSecret);
    await screen('02-connection');
  });

  it('refreshes metadata and searches fields with type badges', async () => {
    await openScreen('Metadata');
    await page.getByRole('button', { name: 'Refresh from Salesforce' }).click();
    await page.getByText(/Refreshed \d+ objects/).waitFor();
    await page.getByLabel('Object', { exact: true }).first().click();
    await page.getByRole('option', { name: /^Opportunity \(\d+ fields\)$/ }).click();
    await page.getByLabel('Search fields').fill('demo_requested');
    await page.getByText(/^1 of \d+ fields/).waitFor();
    const row = page.getByRole('row', { name: /Demo_Requested_At__c/ });
    await row.getByText('datetime', { exact: true }).waitFor();
    await row.getByText('createable, updateable').waitFor();
    await screen('03-metadata');
  });

  it('builds a map with the field picker, sees a save-time problem beside its target, and auto-maps', async () => {
    await openScreen('Intent maps');
    await page.getByRole('button', { name: 'New map' }).click();
    await page.getByRole('textbox', { name: 'Intent', exact: true }).fill('demo_requested');
    await page.getByLabel('Value type', { exact: true }).first().click();
    await page.getByRole('option', { name: 'datetime', exact: true }).click();
    await page.getByLabel('Target 1 field').fill('demo requested');
    const option = page.getByRole('option', { name: /^Opportunity\.Demo_Requested_At__c datetime$/ });
    await option.click();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page
      .getByRole('row', { name: /demo_requested/ })
      .getByText('ok')
      .waitFor();

    // A text value into a datetime field: the picker disables it with the reason, and saving it anyway is refused
    // with the problem shown beside that target.
    await page.getByRole('button', { name: 'New map' }).click();
    await page.getByRole('textbox', { name: 'Intent', exact: true }).fill('bad_summary');
    await page.getByLabel('Value type', { exact: true }).first().click();
    await page.getByRole('option', { name: 'text', exact: true }).click();
    await page.getByLabel('Target 1 field').fill('Opportunity.Demo_Requested_At__c');
    await page
      .getByRole('option', { name: /unavailable: a text value cannot go into a datetime field/ })
      .waitFor();
    await page.getByRole('heading', { name: 'New intent map' }).click();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page
      .getByText(/TYPE_INCOMPATIBLE/)
      .first()
      .waitFor();
    await screen('04-map-editor-problem');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page
      .getByLabel('Intents to map, one per line as name: type')
      .fill('call_summary_text: text\ndemo_requested_at: datetime');
    await page.getByRole('button', { name: 'Propose' }).click();
    await page.getByLabel(/demo_requested_at → Opportunity\.Demo_Requested_At__c/).waitFor();
    await page.getByRole('button', { name: /Apply \d chosen/ }).click();
    await page
      .getByRole('row', { name: /demo_requested_at/ })
      .getByText('ok')
      .waitFor();
    await screen('05-maps');
  });

  it('diffs two versions of a map and restores the old one; exports and imports the short form', async () => {
    const mapRow = () => page.getByRole('row', { name: /^demo_requested\b(?!_)/ });
    await mapRow().getByRole('button', { name: 'Edit demo_requested' }).click();
    await page.getByLabel('Target 1 value').first().fill('$now');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await mapRow().getByText('v2 · critical').waitFor();

    await mapRow().getByRole('button', { name: 'Edit demo_requested' }).click();
    await page.getByLabel('Compare version').first().click();
    await page.getByRole('option', { name: /^v1 · / }).click();
    await page.getByLabel('with version').first().click();
    await page.getByRole('option', { name: /^v2 · / }).click();
    await page.getByText('- v1: Opportunity.Demo_Requested_At__c ← "$value"').waitFor();
    await page.getByText('+ v2: Opportunity.Demo_Requested_At__c ← "$now"').waitFor();
    await screen('05b-map-versions');
    await page.getByRole('button', { name: 'Restore v1 as a new version' }).click();
    await mapRow().getByText('v3 · critical').waitFor();
    await mapRow().getByText('"$value"').waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const exported = JSON.parse(readFileSync((await (await download).path()) ?? '', 'utf8')) as object;
    // Built in the editor with "$value" and no default, the map needs the agent's value: the short form (which
    // implies $now for a datetime) would not say that, so it is exported in the full form.
    expect(exported).toMatchObject({
      demo_requested: { targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value' }] },
    });
    await page.locator('input[type=file]').setInputFiles({
      name: 'maps.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ summary_copy: 'Task.Description' })),
    });
    await page
      .getByRole('row', { name: /summary_copy/ })
      .getByText('ok')
      .waitFor();
  });

  it('simulates the sample call with every request and no problem', async () => {
    await t.http
      .put('/v1/mappings/call_summary')
      .set(tenant.admin)
      .send({ targets: [{ field: 'Task.Description', value: '$value' }] })
      .expect(200);
    await openScreen('Simulation');
    await page.getByRole('button', { name: 'Load the sample call' }).click();
    await page
      .getByLabel(/Call script/)
      .and(page.locator(':not(:empty)'))
      .waitFor();
    await eventually(async () =>
      expect(await page.getByLabel(/Call script/).inputValue()).toContain('demo_requested'),
    );
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.getByText('0 problems').waitFor();
    await page.getByRole('region', { name: 'Step 1' }).or(page.getByLabel('Step 1')).first().waitFor();
    await screen('06-simulation');
  });

  it('passes the go-live checklist', async () => {
    await openScreen('Go-live checklist');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('Ready for live calls').waitFor();
    expect(await page.getByText('fail', { exact: true }).count()).toBe(0);
    await screen('07-go-live-ready');
  });

  it('replays a dead-lettered write from the Failures screen and it is written once', async () => {
    const { agent } = tenant;
    const instance = sandbox.demo.instanceUrl;
    await control(instance, 'POST', '/faults', {
      path: '/composite',
      status: 400,
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'bad value for restricted picklist field: Status',
      times: 1,
    });
    const accepted = await t.http
      .post('/v1/calls/console-call/intents')
      .set(agent)
      .send({
        intent: 'call_summary',
        value: 'Summary of the console call',
        caller: { phone: '+16505550142', lastName: 'Replay' },
      })
      .expect(202);
    const writeId = accepted.body.writeId as string;
    await eventually(
      async () => {
        const write = await t.http.get(`/v1/writes/${writeId}`).set(agent).expect(200);
        expect(write.body.status).toBe('dead');
      },
      20_000,
      100,
    );

    await openScreen('Failures');
    await page.getByRole('checkbox', { name: /Select dead letter of call_summary/ }).check();
    await page.getByRole('button', { name: 'Details of call_summary dead letter' }).click();
    await page.getByText('Summary of the console call').first().waitFor();
    await screen('08-failures');
    await page.getByRole('button', { name: 'Replay 1 selected' }).click();
    await page.getByText(`Replay accepted for 1 write(s): ${writeId}`).waitFor();
    await eventually(
      async () => {
        const write = await t.http.get(`/v1/writes/${writeId}`).set(agent).expect(200);
        expect(write.body.status).toBe('written');
      },
      20_000,
      100,
    );
    await page
      .getByRole('row', { name: `Write ${writeId}` })
      .getByText('written', { exact: true })
      .waitFor();
    const tasks = (await control(instance, 'GET', '/records/Task')).body as Array<Record<string, unknown>>;
    expect(tasks.filter((task) => task.Description === 'Summary of the console call')).toHaveLength(1);
  });

  it('verifies the audit chain', async () => {
    await openScreen('Audit');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('Chain verified').waitFor();
    await page.getByLabel('Action').fill('mapping.metadata.refreshed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'mapping.metadata.refreshed' }).first().waitFor();
    await screen('09-audit');
  });

  it('fits a 390 px phone: the navigation collapses behind a labelled toggle', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await openScreen('Intent maps');
    await page.getByRole('heading', { name: 'Intent maps' }).waitFor();
    await screen('10-maps-phone');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});
