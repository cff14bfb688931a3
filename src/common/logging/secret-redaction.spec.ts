import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { createRootLogger, requestLogOptions } from './logging.module';
import { MAX_REDACTION_DEPTH, REDACTED, redactSecrets, SECRET_FIELDS } from './secret-redaction';

/** A pino-http logger shaped like the service's, writing its JSON lines into `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').trim().split('\n'));
      done();
    },
  });
  const http = pinoHttp(requestLogOptions(createRootLogger('debug', stream)));
  return { http, logger: http.logger, lines };
}

/** `{ a: { a: { [field]: secret } } }` with the field `depth` levels down (0 = at the top of the line). */
function nestedAt(depth: number, field: string, secret: string): Record<string, unknown> {
  let object: Record<string, unknown> = { [field]: secret };
  for (let level = 0; level < depth; level++) object = { a: object };
  return object;
}

describe('secret redaction in log lines', () => {
  it('redacts every secret field at every depth the former wildcard paths reached, and deeper', () => {
    const { logger, lines } = capturingLogger();
    for (const field of SECRET_FIELDS) {
      for (let depth = 0; depth <= MAX_REDACTION_DEPTH; depth++) {
        const secret = `secret-${field}-${depth}`;
        logger.info(nestedAt(depth, field, secret), 'a line');
        const line = lines.at(-1) ?? '';
        expect(line).not.toContain(secret);
        expect(JSON.stringify(JSON.parse(line))).toContain(`"${field}":"${REDACTED}"`);
      }
    }
  });

  it('redacts secrets in arrays, in child-logger bindings, in errors and whatever the case of the name', () => {
    const { logger, lines } = capturingLogger();
    logger.info({ tenants: [{ name: 'a', apiKey: 'array-secret' }] }, 'array');
    logger
      .child({ key: 'binding-secret', connection: { clientSecret: 'nested-binding-secret' } })
      .info('child');
    logger.error(Object.assign(new Error('boom'), { accessToken: 'error-secret' }));
    logger.error({ err: Object.assign(new Error('boom'), { config: { password: 'nested-error-secret' } }) });
    logger.warn({ headers: { Authorization: 'Bearer header-secret', Cookie: 'sid=cookie-secret' } }, 'case');
    const everything = lines.join('\n');
    for (const secret of [
      'array-secret',
      'binding-secret',
      'error-secret',
      'header-secret',
      'cookie-secret',
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain('nested-binding-secret');
    expect(everything).not.toContain('nested-error-secret');
    // The rest of each line is kept.
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ tenants: [{ name: 'a', apiKey: REDACTED }] }),
      expect.objectContaining({ key: REDACTED, connection: { clientSecret: REDACTED }, msg: 'child' }),
      expect.objectContaining({ err: expect.objectContaining({ message: 'boom', accessToken: REDACTED }) }),
      expect.objectContaining({ err: expect.objectContaining({ config: { password: REDACTED } }) }),
      expect.objectContaining({ headers: { Authorization: REDACTED, Cookie: REDACTED } }),
    ]);
  });

  it('never changes the object logged', () => {
    const logged = { user: { password: 'kept', name: 'n' }, list: [{ key: 'kept' }], at: new Date(0) };
    const redacted = redactSecrets(logged);
    expect(logged).toEqual({
      user: { password: 'kept', name: 'n' },
      list: [{ key: 'kept' }],
      at: new Date(0),
    });
    expect(redacted).toEqual({
      user: { password: REDACTED, name: 'n' },
      list: [{ key: REDACTED }],
      at: new Date(0),
    });
    const harmless = { a: { b: [1, 'two'] } };
    expect(redactSecrets(harmless)).toBe(harmless);
  });

  describe('the per-request line', () => {
    let server: Server;
    let lines: string[];

    beforeAll(async () => {
      const logger = capturingLogger();
      lines = logger.lines;
      server = createServer((request, response) => {
        logger.http(request, response);
        request.log.info({ body: { refresh_token: 'body-secret' } }, 'handling');
        response.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('carries the request id, method and url, never the Authorization or Cookie header or OAuth codes', async () => {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const sent = httpRequest(
          {
            port,
            host: '127.0.0.1',
            path: '/v1/connection/oauth/callback?code=code-secret&state=state-secret',
            headers: { authorization: 'Bearer header-secret', cookie: 'sid=cookie-secret' },
          },
          (response) => response.resume().on('end', resolve),
        );
        sent.on('error', reject).end();
      });
      await new Promise((resolve) => setImmediate(resolve));
      const everything = lines.join('\n');
      for (const secret of ['header-secret', 'cookie-secret', 'code-secret', 'state-secret', 'body-secret']) {
        expect(everything).not.toContain(secret);
      }
      const completed = lines
        .map((line) => JSON.parse(line) as { msg: string; req: unknown; res: unknown })
        .find((line) => line.msg === 'request completed');
      expect(completed).toMatchObject({
        req: {
          method: 'GET',
          url: '/v1/connection/oauth/callback?code=[redacted]&state=[redacted]',
        },
        res: { statusCode: 200 },
      });
    });
  });
});
