import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../../common/errors/common-error-code';
import { errorEnvelopeOf } from '../../common/errors/send-error';
import { matchesSecret } from '../tenancy/api-key-secrets';

const BEARER = /^Bearer\s+(\S+)$/i;
const BASIC = /^Basic\s+([A-Za-z0-9+/=]+)$/i;

/**
 * The operator key from `Authorization`: as a bearer (scripts, curl) or as the password of HTTP Basic
 * (browsers: the board is a page whose scripts call its API, and a browser resends Basic credentials on each
 * of those requests by itself, which it never does with a bearer key). The user name is ignored.
 */
export function presentedKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const bearer = BEARER.exec(authorization);
  if (bearer) return bearer[1];
  const basic = BASIC.exec(authorization);
  if (!basic) return undefined;
  const credentials = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon >= 0 ? credentials.slice(colon + 1) : undefined;
}

/**
 * A Fastify onRequest hook that lets only the operator key through to every route under `prefix` (the board's
 * page, static files and API alike), comparing in constant time. Anything else is 401 with a Basic challenge,
 * so a browser asks for the key.
 */
export function operatorGate(prefix: string, operatorKey: string | undefined) {
  const isGuarded = (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    const route = request.routeOptions.url ?? '';
    return [path, route].some((url) => url === prefix || url.startsWith(`${prefix}/`));
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!isGuarded(request)) return;
    const key = presentedKey(request.headers.authorization);
    if (operatorKey && key !== undefined && matchesSecret(key, operatorKey)) return;
    const envelope = errorEnvelopeOf(request.id, {
      code: CommonErrorCode.Unauthenticated,
      message: 'The queue board needs the operator key (Bearer, or as the Basic password)',
    });
    await reply
      .code(envelope.statusCode)
      .header('WWW-Authenticate', 'Basic realm="AICall queues", charset="UTF-8"')
      .send(envelope);
  };
}
