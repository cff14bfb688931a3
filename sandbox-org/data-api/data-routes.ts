import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrgRuntime } from '../org/org-runtime';
import type { SandboxState } from '../state/sandbox-state';
import { canUseChatter, canUseRestApi } from '../oauth/scopes';
import { authenticate } from '../http/authenticate';
import { notFound, restError, RestError } from '../http/errors';
import { sendDataResponse, sendJson } from '../http/reply';
import { checkVersion, VERSIONS_LIST } from './api-versions';
import type { DataRequest } from './data-context';
import { limitInfo, spendApiRequest } from './limits';
import { dispatchDataRequest } from './router';

const LIMIT_INFO_HEADER = 'sforce-limit-info';

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** `/services/data/…` on one instance: versions list (no auth, no limit header), then authenticated resources. */
export function registerDataRoutes(app: FastifyInstance, state: SandboxState, hostName: string) {
  for (const url of ['/services/data', '/services/data/'])
    app.get(url, (_, reply) => sendJson(reply, 200, VERSIONS_LIST));

  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/services/data/*',
    handler: (request, reply) => {
      // Recorded 401s and bad-version 404s carry no limit header: it only appears once the caller is known.
      let org: OrgRuntime | undefined;
      try {
        const url = new URL(request.url, 'http://sandbox');
        const [, , , versionSegment = '', ...rest] = url.pathname.split('/');
        const version = checkVersion(versionSegment);
        if (version.kind === 'retired')
          throw restError(410, 'GONE', 'The requested resource no longer exists');
        if (version.kind === 'unknown') throw notFound();
        const session = authenticate(state, request.headers.authorization, hostName);
        org = state.org(session.orgKey);
        const path = `/${rest.join('/')}`;
        const allowed = path.startsWith('/chatter')
          ? canUseChatter(session.scopes)
          : canUseRestApi(session.scopes);
        if (!allowed) {
          // Not fixable by refreshing (§1.5): jsforce knows this message and does not loop.
          throw restError(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
        }
        spendApiRequest(org);
        const dataRequest: DataRequest = {
          method: request.method,
          path,
          query: url.searchParams,
          body: request.body,
          headers: headersOf(request),
        };
        const response = dispatchDataRequest({ state, org, session, version: version.version }, dataRequest);
        return sendDataResponse(reply, {
          ...response,
          headers: { ...response.headers, [LIMIT_INFO_HEADER]: limitInfo(org) },
        });
      } catch (error) {
        if (!(error instanceof RestError)) throw error;
        const limitHeader: Record<string, string> = org ? { [LIMIT_INFO_HEADER]: limitInfo(org) } : {};
        return sendJson(reply, error.status, error.items, { ...error.headers, ...limitHeader });
      }
    },
  });
}
