import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { PUBLIC_METADATA, ROLES_METADATA } from '../../src/common/auth/roles.decorator';
import type { Role } from '../../src/common/auth/principal';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { operator } from '../support/test-app';

/**
 * Hostile input over every route of the OpenAPI document: each case takes a plausible request (the document's
 * examples, a key of the route's role) and puts one hostile value in one spot of its path, query or body.
 * Every answer must be a 4xx with the error envelope, never a 5xx, and no case may reach Salesforce.
 */

type Json = unknown;
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  example?: Json;
  maxLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};
type Operation = {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: Schema; example?: Json }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
};
interface HostileCase {
  method: string;
  path: string;
  role: Role | 'public';
  spot: string;
  query: Record<string, Json>;
  body: Json;
  /** Raw query string appended as is (values that only exist percent-encoded). */
  rawQuery?: string;
}

const NUL = 'a\u0000b';
const LONE_HIGH = 'Half\ud83d';
const LONE_LOW = '\udc00tail';
const TEXT_HOSTILE: Json[] = [NUL, LONE_HIGH, LONE_LOW, 42, 2147483648, true, [], ['x'], { x: 1 }];
const INTEGER_HOSTILE: Json[] = [2147483648, 1e300, -1, 1.5, '12', NUL, [], { x: 1 }];
const OBJECT_HOSTILE: Json[] = [
  [],
  [{}],
  [{ phone: '+14155550142' }],
  'text',
  42,
  { ['k\u0000']: 1 },
  { k: LONE_HIGH },
];
const ARRAY_HOSTILE: Json[] = [{}, 'text', 42, [NUL], [[]], [LONE_HIGH]];
const ANY_HOSTILE: Json[] = [
  NUL,
  LONE_HIGH,
  [LONE_LOW],
  { ['\u0000']: true },
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
];
const DATE_HOSTILE: Json[] = [
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '0000-00-00',
  NUL,
  'tomorrow',
];
const PATH_HOSTILE = ['%00', 'id%00', 'a'.repeat(129), 'b'.repeat(1000), '%ED%A0%BD', '%F0%9F', '%'];
// No lone surrogate here: UTF-8 percent-encoding cannot carry one (a client sends U+FFFD instead).
const QUERY_TEXT_HOSTILE: Json[] = [NUL, 'x'.repeat(5000), ['a', 'b']];
const QUERY_INTEGER_HOSTILE: Json[] = ['2147483648', '99999999999999999999', '-1', '1.5', 'abc', NUL];
/** Query text only the wire can carry: a NUL in a parameter's name, or in a parameter no route reads. */
const RAW_QUERIES = ['x%00=1', 'x=%00', 'x=a%00b'];
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

describe('Hostile input over every route of the OpenAPI document', () => {
  let c: ConnectedTenant;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  let roles: Map<string, Role | 'public'>;

  const keyFor = (role: Role | 'public') =>
    role === 'operator' ? operator : role === 'admin' ? c.admin : role === 'agent' ? c.agent : {};
  const salesforceRequests = async () => {
    const counted = async (baseUrl: string) => {
      const log = (await control(baseUrl, 'GET', '/requests')).body as { requests: Array<{ path: string }> };
      return log.requests.filter((r) => r.path.startsWith('/services')).length;
    };
    return (await counted(c.sandbox.demo.instanceUrl)) + (await counted(c.sandbox.loginUrl));
  };

  beforeAll(async () => {
    c = await startConnectedTenant();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    // The documented example intent exists, so hostile values in the other fields meet the whole write path.
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .send({ demo_requested: 'Opportunity.Demo_Requested_At__c', call_summary: 'Task.Description' })
      .expect(200);
    document = (await c.t.http.get('/docs-json').expect(200)).body;
    roles = routeRoles(c);
  });
  afterAll(async () => c?.close());

  it('answers every hostile case with a 4xx envelope and sends nothing to Salesforce', async () => {
    const cases = hostileCases(document, roles);
    expect(cases.length).toBeGreaterThan(500);
    const before = await salesforceRequests();
    const failures: string[] = [];
    for (const hostile of cases) {
      const response = await send(c, hostile, keyFor(hostile.role));
      const body = response.body as Record<string, unknown>;
      const enveloped =
        typeof body?.statusCode === 'number' &&
        typeof body.code === 'string' &&
        typeof body.message === 'string' &&
        typeof body.requestId === 'string';
      // A simulation answers 200 and reports a value of the wrong type as a problem of its step (api.md).
      const simulatedProblem =
        hostile.path === '/v1/simulations' && response.status === 200 && Number(body.problems) > 0;
      if (simulatedProblem) continue;
      if (
        response.status < 400 ||
        response.status >= 500 ||
        !enveloped ||
        body.statusCode !== response.status
      ) {
        failures.push(
          `${hostile.method} ${hostile.path} ${hostile.spot}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await salesforceRequests()).toBe(before);
  });

  it('names the field that carries a NUL or a lone surrogate', async () => {
    const intent = await c.t.http
      .post('/v1/calls/call-1/intents')
      .set(c.agent)
      .send({
        intent: 'demo_requested',
        value: '2026-05-14T10:00:00Z',
        caller: { phone: '+14155550142', company: LONE_HIGH },
      })
      .expect(422);
    expect(intent.body.problems).toEqual([expect.objectContaining({ field: 'caller.company' })]);
    const path = await c.t.http.get('/v1/mappings/%00').set(c.admin).expect(422);
    expect(path.body.problems).toEqual([expect.objectContaining({ field: 'intent' })]);
    const array = await c.t.http
      .post('/v1/calls/call-1/intents')
      .set(c.agent)
      .send({ intent: 'demo_requested', caller: [{ phone: '+14155550142' }] })
      .expect(422);
    expect(array.body.problems).toEqual([
      expect.objectContaining({ field: 'caller', message: 'caller must be an object' }),
    ]);
  });

  it('accepts call ids up to the 128 characters of the contract, and refuses longer ones with 414', async () => {
    const longest = 'c'.repeat(128);
    await c.t.http.post(`/v1/calls/${longest}/intents`).set(c.agent).send({}).expect(422);
    const tooLong = await c.t.http.post(`/v1/calls/${longest}c/intents`).set(c.agent).send({}).expect(414);
    expect(tooLong.body).toMatchObject({ statusCode: 414, code: 'PATH_PARAMETER_TOO_LONG' });
  });

  it('writes a company name of emoji that must be cut to the field length without splitting one', async () => {
    const company = '\u202e' + '😀'.repeat(60) + 'abc';
    const answer = await c.t.http
      .post('/v1/calls/call-emoji/intents')
      .set(c.agent)
      .send({
        intent: 'demo_requested',
        value: '2026-05-14T10:00:00Z',
        caller: { phone: '+16505550199', company },
      });
    expect([200, 202]).toContain(answer.status);
  });
});

/** "METHOD /openapi/{path}" → the role its handler declares, read from the controllers' own metadata. */
function routeRoles(c: ConnectedTenant): Map<string, Role | 'public'> {
  const reflector = c.t.app.get(Reflector);
  const scanner = c.t.app.get(MetadataScanner);
  const found = new Map<string, Role | 'public'>();
  for (const wrapper of c.t.app.get(DiscoveryService).getControllers()) {
    const type = wrapper.metatype as (new () => object) | undefined;
    if (!type) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
    for (const name of scanner.getAllMethodNames(type.prototype)) {
      const handler = (type.prototype as Record<string, (...args: unknown[]) => unknown>)[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const own = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const path = `/${[base, own].filter((part) => part && part !== '/').join('/')}`
        .replace(/\/+/g, '/')
        .replace(/:(\w+)/g, '{$1}');
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, [handler, type]);
      const allowed = reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, [handler, type]);
      found.set(`${RequestMethod[method]} ${path}`, isPublic ? 'public' : (allowed?.[0] ?? 'public'));
    }
  }
  return found;
}

function hostileCases(
  document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  },
  roles: Map<string, Role | 'public'>,
): HostileCase[] {
  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop() ?? '']);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(resolve)) as Schema;
    return schema;
  };
  const plausible = (schema: Schema): Json => {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.type === 'object' || s.properties) {
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(v)]));
    }
    if (s.type === 'array') return s.items ? [plausible(s.items)] : [];
    if (s.type === 'integer' || s.type === 'number') return 1;
    if (s.type === 'boolean') return true;
    if (s.format === 'date-time') return '2026-05-14T10:00:00Z';
    return 'sample';
  };
  const hostileFor = (schema: Schema): Json[] => {
    const s = resolve(schema);
    if (s.type === 'object' || s.properties) return OBJECT_HOSTILE;
    if (s.type === 'array') return ARRAY_HOSTILE;
    if (s.type === 'integer' || s.type === 'number') return INTEGER_HOSTILE;
    if (s.format === 'date-time') return DATE_HOSTILE;
    if (s.type === 'string') {
      return s.maxLength ? [...TEXT_HOSTILE, 'x'.repeat(s.maxLength + 1)] : TEXT_HOSTILE;
    }
    return ANY_HOSTILE;
  };
  /** Every (path in the body, hostile value) pair: each property, nested properties and array items too. */
  const bodyMutations = (schema: Schema, at: string[] = [], depth = 0): Array<[string[], Json]> => {
    const s = resolve(schema);
    const here: Array<[string[], Json]> = at.length ? hostileFor(s).map((value) => [at, value]) : [];
    if (depth > 3) return here;
    const nested = Object.entries(s.properties ?? {}).flatMap(([k, v]) =>
      bodyMutations(v, [...at, k], depth + 1),
    );
    const items = s.type === 'array' && s.items ? bodyMutations(s.items, [...at, '0'], depth + 1) : [];
    return [...here, ...nested, ...items];
  };
  const withValue = (base: Json, at: string[], value: Json): Json => {
    if (at.length === 0) return value;
    const [head, ...rest] = at;
    const container = (Array.isArray(base) ? [...base] : { ...(base as object) }) as Record<string, Json>;
    container[head] = withValue(container[head], rest, value);
    return container;
  };

  const cases: HostileCase[] = [];
  for (const [openApiPath, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const role = roles.get(`${method.toUpperCase()} ${openApiPath}`) ?? 'public';
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
      const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const fill = (name: string, value: string) =>
        pathParams.reduce(
          (path, p) => path.replace(`{${p.name}}`, p.name === name ? value : PLACEHOLDER_ID),
          openApiPath,
        );
      const baseQuery = Object.fromEntries(
        queryParams.map((p) => [p.name, p.example ?? plausible(p.schema ?? {})]),
      );
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      const baseBody = bodySchema ? plausible(bodySchema) : undefined;
      const at = (spot: string, path: string, query: Record<string, Json>, body: Json, rawQuery?: string) =>
        cases.push({ method: method.toUpperCase(), path, role, spot, query, body, rawQuery });

      for (const param of pathParams) {
        for (const value of PATH_HOSTILE)
          at(`path ${param.name}=${value.slice(0, 12)}`, fill(param.name, value), baseQuery, baseBody);
      }
      const path = fill('', '');
      for (const param of queryParams) {
        const type = resolve(param.schema);
        const values =
          type.format === 'date-time'
            ? [...QUERY_TEXT_HOSTILE, ...DATE_HOSTILE]
            : type.type === 'integer' || type.type === 'number'
              ? QUERY_INTEGER_HOSTILE
              : QUERY_TEXT_HOSTILE;
        for (const value of values) {
          const shown = JSON.stringify(value).slice(0, 20);
          at(`query ${param.name}=${shown}`, path, { ...baseQuery, [param.name]: value }, baseBody);
        }
      }
      // Every route, even one that reads no query: an unknown parameter carrying hostile text is refused too.
      for (const raw of RAW_QUERIES) at(`raw query ${raw}`, path, baseQuery, baseBody, raw);
      if (bodySchema) {
        for (const [spot, value] of bodyMutations(bodySchema)) {
          at(
            `body ${spot.join('.')}=${JSON.stringify(value).slice(0, 20)}`,
            path,
            baseQuery,
            withValue(baseBody, spot, value),
          );
        }
        for (const value of [[], [baseBody], 'text', 42, NUL])
          at(`whole body ${JSON.stringify(value).slice(0, 20)}`, path, baseQuery, value);
      }
    }
  }
  return cases;
}

async function send(c: ConnectedTenant, hostile: HostileCase, key: Record<string, string>) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(hostile.query)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const query = [search.toString(), hostile.rawQuery].filter(Boolean).join('&');
  const url = query ? `${hostile.path}?${query}` : hostile.path;
  const request = c.t.http[hostile.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url).set(key);
  return hostile.body === undefined
    ? request
    : request.set('Content-Type', 'application/json').send(JSON.stringify(hostile.body));
}
