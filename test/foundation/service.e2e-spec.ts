import { DiscoveryService, Reflector } from '@nestjs/core';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_METADATA, ROLES_METADATA } from '../../src/common/auth/roles.decorator';
import { createApiApp } from '../../src/bootstrap/create-api-app';
import { EnvironmentValidationError } from '../../src/config/validate-environment';
import { operator, startTestApp, TEST_OPERATOR_KEY, TestApp } from '../support/test-app';
import { logFileOnceWritten } from '../support/log-file';

describe('Service endpoints', () => {
  const logFile = join(tmpdir(), `aicall-log-${process.pid}-${Date.now()}.jsonl`);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info', LOG_FILE: logFile });
  });
  afterAll(async () => {
    await t.close();
    rmSync(logFile, { force: true });
  });

  it('/health/live answers 200 and /health/ready 200 naming every check when all is up', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(Object.keys(ready.body.details).sort()).toEqual([
      'postgres',
      'queue:aicall-salesforce-deadletter',
      'queue:aicall-salesforce-writes',
      'redis',
    ]);
  });

  it('/metrics serves Prometheus text with the HTTP latency histogram', async () => {
    await t.http.get('/health/live').expect(200);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/health\/live".*\}/);
    expect(metrics.text).toContain('aicall_queue_jobs{queue="aicall-salesforce-writes",state="waiting"}');
  });

  it('/docs serves the OpenAPI UI and /docs-json the document', async () => {
    await t.http.get('/docs').redirects(1).expect(200);
    const document = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/v1/tenants', '/health/ready']),
    );
  });

  it('every route declares its roles or says it is public', () => {
    const discovery = t.app.get(DiscoveryService);
    const reflector = t.app.get(Reflector);
    const undeclared: string[] = [];
    for (const wrapper of discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        if (name === 'constructor') continue;
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const targets = [handler, controller];
        const declared =
          reflector.getAllAndOverride(PUBLIC_METADATA, targets) ||
          reflector.getAllAndOverride(ROLES_METADATA, targets);
        if (!declared) undeclared.push(`${controller.name}.${name}`);
      }
    }
    expect(discovery.getControllers().length).toBeGreaterThan(2);
    expect(undeclared).toEqual([]);
  });

  it('logs JSON lines with the request id and never the key or Authorization header', async () => {
    await t.http.get('/v1/tenants').set(operator).set('X-Request-Id', 'log-check-1').expect(200);
    const lines = (await logFileOnceWritten(logFile, (text) => text.includes('log-check-1')))
      .trim()
      .split('\n');
    const entry = lines
      .map((line) => JSON.parse(line) as { req?: { id?: string } })
      .find((l) => l.req?.id === 'log-check-1');
    expect(entry).toBeDefined();
    const everything = lines.join('\n');
    expect(everything).not.toContain(TEST_OPERATOR_KEY);
    expect(everything.toLowerCase()).not.toContain('bearer ');
  });
});

describe('Readiness with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis call fails.
    t = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.close());

  it('answers 503 NOT_READY naming redis and the queues, and still reports postgres up', async () => {
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body.code).toBe('NOT_READY');
    const down = (res.body.problems as Array<{ field: string }>).map((problem) => problem.field).sort();
    expect(down).toEqual(['queue:aicall-salesforce-deadletter', 'queue:aicall-salesforce-writes', 'redis']);
    expect(res.body.message).toContain('redis');
  });

  it('keeps serving liveness', async () => {
    await t.http.get('/health/live').expect(200);
  });
});

describe('Configuration', () => {
  it('refuses to boot with one error naming every bad variable', async () => {
    Object.assign(process.env, {
      NODE_ENV: 'test',
      PORT: 'eighty',
      REDIS_URL: 'http://nope',
      LOG_LEVEL: 'loud',
    });
    try {
      const failure = (await createApiApp().then(
        () => undefined,
        (error: unknown) => error,
      )) as EnvironmentValidationError;
      expect(failure).toBeInstanceOf(EnvironmentValidationError);
      expect(failure.problems.map((problem) => problem.split(' ')[0].replace(':', '')).sort()).toEqual([
        'LOG_LEVEL',
        'PORT',
        'REDIS_URL',
      ]);
    } finally {
      delete process.env.PORT;
      delete process.env.REDIS_URL;
      delete process.env.LOG_LEVEL;
    }
  });
});
