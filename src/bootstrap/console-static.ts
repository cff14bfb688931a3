import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { CommonErrorCode } from '../common/errors/common-error-code';
import { errorEnvelopeOf } from '../common/errors/send-error';

/**
 * The admin console (`console/`, built by Vite into `console/dist`) served by the API process at `/console`,
 * same origin as the API it calls. Static files only: every action of the console goes through the public,
 * guarded REST API, so these routes carry no data and need no key.
 */
export const CONSOLE_PATH = '/console';

/**
 * Script only from our origin (no inline script, no eval), data only to our origin, no framing, no plugins.
 * Styles allow inline because the component library (Mantine) sets CSS variables in `style` attributes and one
 * runtime `<style>` element; inline styles cannot run code, inline scripts could.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite puts a content hash in every file name under assets/: they never change, so browsers keep them. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed assets: always revalidated, so a deploy is seen at once. */
const ENTRY_CACHE = 'no-cache';

/** What Vite emits for the console; anything else is served as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** `console/dist` from `src/bootstrap` (ts-node, Jest) or from `dist/src/bootstrap` (the built API). */
export function consoleDistDirectory(): string | undefined {
  return [resolve(__dirname, '../../console/dist'), resolve(__dirname, '../../../console/dist')].find(
    (candidate) => existsSync(join(candidate, 'index.html')),
  );
}

export function serveConsole(app: NestFastifyApplication): void {
  const root = consoleDistDirectory();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 301));
  if (!root) {
    fastify.get(`${CONSOLE_PATH}/*`, (request, reply) => {
      const envelope = errorEnvelopeOf(request.id, {
        code: CommonErrorCode.ConsoleNotBuilt,
        message: 'The admin console is not built: run `npm run build` (or `npm start`, which builds it)',
      });
      return reply.code(envelope.statusCode).send(envelope);
    });
    return;
  }
  fastify.get<{ Params: { '*': string } }>(`${CONSOLE_PATH}/*`, (request, reply) => {
    const requested = request.params['*'];
    const file = resolve(root, requested);
    const isFile = file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile();
    // A missing asset is a 404, never the shell: a browser would run or cache HTML as a script.
    if (!isFile && requested.startsWith('assets/')) {
      const envelope = errorEnvelopeOf(request.id, {
        code: CommonErrorCode.NotFound,
        message: 'No such console asset',
      });
      return reply.code(envelope.statusCode).send(envelope);
    }
    // Any other path that is not a file is a screen of the single-page app (e.g. /console/maps): the shell routes it.
    const served = isFile ? file : join(root, 'index.html');
    return reply
      .header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', isFile && requested.startsWith('assets/') ? HASHED_ASSET_CACHE : ENTRY_CACHE)
      .type(CONTENT_TYPES[extname(served)] ?? 'application/octet-stream')
      .send(createReadStream(served));
  });
}
