import { restError, notFound } from '../http/errors';
import type { DataResponse } from '../http/reply';
import { postFeedElement } from './chatter';
import {
  createCollection,
  deleteCollection,
  retrieveCollection,
  updateCollection,
  upsertCollection,
} from './collections';
import { compositeResource, postComposite } from './composite';
import { postBatch } from './composite-batch';
import { postGraph } from './composite-graph';
import { postTree } from './composite-tree';
import type { DataContext, DataRequest } from './data-context';
import { describeBasic, describeGlobal, describeObject, resourcesByVersion } from './describe';
import { limitsResource } from './limits';
import { parameterizedSearch, query, queryMore, search } from './query-routes';
import {
  createSObject,
  deleteSObject,
  getSObject,
  getSObjectByExternalId,
  updateSObject,
  upsertSObject,
} from './sobjects';

type RouteHandler = (ctx: DataContext, request: DataRequest, params: string[]) => DataResponse;

interface Route {
  /** Literal segments, or ':' for a parameter. */
  segments: string[];
  handlers: Partial<Record<string, RouteHandler>>;
}

/** Every Data API resource under `/services/data/vXX.X`; plain requests and composite subrequests both go here. */
const ROUTES: Route[] = [
  { segments: [], handlers: { GET: (ctx) => resourcesByVersion(ctx) } },
  { segments: ['sobjects'], handlers: { GET: (ctx) => describeGlobal(ctx) } },
  {
    segments: ['sobjects', ':'],
    handlers: {
      GET: (ctx, _, [o]) => describeBasic(ctx, o),
      POST: (ctx, req, [o]) => createSObject(ctx, req, o),
    },
  },
  { segments: ['sobjects', ':', 'describe'], handlers: { GET: (ctx, _, [o]) => describeObject(ctx, o) } },
  {
    segments: ['sobjects', ':', ':'],
    handlers: {
      GET: (ctx, req, [o, id]) => getSObject(ctx, req, o, id),
      PATCH: (ctx, req, [o, id]) => updateSObject(ctx, req, o, id),
      DELETE: (ctx, req, [o, id]) => deleteSObject(ctx, req, o, id),
    },
  },
  {
    segments: ['sobjects', ':', ':', ':'],
    handlers: {
      GET: (ctx, req, [o, f, v]) => getSObjectByExternalId(ctx, req, o, f, v),
      PATCH: (ctx, req, [o, f, v]) => upsertSObject(ctx, req, o, f, v),
    },
  },
  {
    segments: ['composite'],
    handlers: {
      GET: (ctx) => compositeResource(ctx),
      POST: (ctx, req) => postComposite(ctx, req, dispatchDataRequest),
    },
  },
  {
    segments: ['composite', 'batch'],
    handlers: { POST: (ctx, req) => postBatch(ctx, req, dispatchDataRequest) },
  },
  { segments: ['composite', 'tree', ':'], handlers: { POST: (ctx, req, [o]) => postTree(ctx, req, o) } },
  {
    segments: ['composite', 'graph'],
    handlers: { POST: (ctx, req) => postGraph(ctx, req, dispatchDataRequest) },
  },
  {
    segments: ['composite', 'sobjects'],
    handlers: { POST: createCollection, PATCH: updateCollection, DELETE: deleteCollection },
  },
  {
    segments: ['composite', 'sobjects', ':'],
    handlers: {
      GET: (ctx, req, [o]) => retrieveCollection(ctx, req, o),
      POST: (ctx, req, [o]) => retrieveCollection(ctx, req, o),
    },
  },
  {
    segments: ['composite', 'sobjects', ':', ':'],
    handlers: { PATCH: (ctx, req, [o, f]) => upsertCollection(ctx, req, o, f) },
  },
  { segments: ['query'], handlers: { GET: (ctx, req) => query(ctx, req, 'query') } },
  { segments: ['query', ':'], handlers: { GET: (ctx, _, [locator]) => queryMore(ctx, 'query', locator) } },
  { segments: ['queryAll'], handlers: { GET: (ctx, req) => query(ctx, req, 'queryAll') } },
  {
    segments: ['queryAll', ':'],
    handlers: { GET: (ctx, _, [locator]) => queryMore(ctx, 'queryAll', locator) },
  },
  { segments: ['search'], handlers: { GET: search } },
  { segments: ['parameterizedSearch'], handlers: { GET: parameterizedSearch, POST: parameterizedSearch } },
  { segments: ['chatter', 'feed-elements'], handlers: { POST: postFeedElement } },
  { segments: ['limits'], handlers: { GET: (ctx) => limitsResource(ctx) } },
];

function match(route: Route, segments: string[]): string[] | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (route.segments[i] === ':') params.push(segments[i]);
    else if (route.segments[i] !== segments[i]) return undefined;
  }
  return params;
}

/** Finds the resource and runs it; `?_HttpMethod=PATCH` on a POST overrides the method (§2). */
export function dispatchDataRequest(ctx: DataContext, request: DataRequest): DataResponse {
  const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  const override = request.method === 'POST' ? request.query.get('_HttpMethod') : null;
  const method = override ? override.toUpperCase() : request.method;
  for (const route of ROUTES) {
    const params = match(route, segments);
    if (!params) continue;
    const handler = route.handlers[method];
    if (!handler) {
      const allowed = Object.keys(route.handlers).join(',');
      throw restError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
      );
    }
    return handler(ctx, { ...request, method }, params);
  }
  throw notFound();
}
