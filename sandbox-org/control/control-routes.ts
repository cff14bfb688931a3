import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FieldType, OrgSettings } from '../org-definition/definition-types';
import type { SandboxState } from '../state/sandbox-state';
import type { HostState } from '../state/host-state';
import { buildFieldDescribe, type FieldDescribe, type PicklistEntry } from '../schema/field-describe';
import { CONTROL_PREFIX } from '../http/latency-and-faults';
import { sendJson } from '../http/reply';

/**
 * The control API (api.md "Sandbox org"), on every port, no auth (the sandbox binds 127.0.0.1 only).
 * Faults, latency and the request log belong to the port they are sent to; limits, settings and field
 * metadata apply to the orgs living on that instance (all orgs on the login port); reset and session
 * expiry apply to the whole sandbox.
 *
 *   POST   /__sandbox/faults              {method?, path?, status?, errorCode?, message?, times?, delayMs?, html?,
 *                                           responseDelayMs?, dropResponse?}
 *   DELETE /__sandbox/faults
 *   PUT    /__sandbox/latency             {ms}
 *   POST   /__sandbox/sessions/expire
 *   GET    /__sandbox/records/{object}    every stored record of that object
 *   GET    /__sandbox/requests            {requests: [{at, method, path, status, ms, connectionId, sforceAutoAssign?,
 *                                          sforceDuplicateRuleHeader?, sforceCallOptions?, subrequests?: [{method,
 *                                          url, sforceAutoAssign?, sforceDuplicateRuleHeader?}], body?}], countsByPath}
 *   POST   /__sandbox/reset               back to the seeded org (records, sessions, limits, faults, latency, log)
 *   PUT    /__sandbox/limits              {max?, used?}: the daily API allowance
 *   PUT    /__sandbox/settings            {searchIndexLagMs?, sessionIdleSeconds?, refreshTokenRotation?, duplicateRules?}
 *   PATCH  /__sandbox/objects/{object}/fields/{field}   describe keys to change or add; {"deleted": true} removes
 */

type Body = Record<string, unknown>;

const badRequest = (reply: FastifyReply, message: string) => sendJson(reply, 400, { error: message });
const bodyOf = (body: unknown): Body => (typeof body === 'object' && body !== null ? (body as Body) : {});
const optionalNumber = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined;
const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

function picklistEntries(values: unknown): PicklistEntry[] | undefined {
  if (!Array.isArray(values)) return undefined;
  return values.map((v: unknown) =>
    typeof v === 'string'
      ? { active: true, defaultValue: false, label: v, validFor: null, value: v }
      : (v as PicklistEntry),
  );
}

function registerFaultAndLatencyRoutes(app: FastifyInstance, host: HostState) {
  app.post(`${CONTROL_PREFIX}/faults`, (request, reply) => {
    const body = bodyOf(request.body);
    const status = optionalNumber(body.status);
    const delayMs = optionalNumber(body.delayMs);
    const responseDelayMs = optionalNumber(body.responseDelayMs);
    const dropResponse = body.dropResponse === true;
    if (status === undefined && delayMs === undefined && responseDelayMs === undefined && !dropResponse)
      return badRequest(reply, 'status, delayMs, responseDelayMs or dropResponse is required');
    if (status !== undefined && (responseDelayMs !== undefined || dropResponse))
      return badRequest(reply, 'responseDelayMs and dropResponse apply to served requests: not with status');
    host.faults.push({
      method: optionalString(body.method),
      path: optionalString(body.path),
      status,
      errorCode: optionalString(body.errorCode),
      message: optionalString(body.message),
      remaining: optionalNumber(body.times) ?? 1,
      delayMs,
      html: body.html === true,
      responseDelayMs,
      dropResponse,
    });
    return sendJson(reply, 201, { faults: host.faults });
  });
  app.delete(`${CONTROL_PREFIX}/faults`, (_, reply) => {
    host.faults = [];
    return reply.code(204).send();
  });
  app.put(`${CONTROL_PREFIX}/latency`, (request, reply) => {
    const ms = optionalNumber(bodyOf(request.body).ms);
    if (ms === undefined || ms < 0) return badRequest(reply, 'ms must be a number >= 0');
    host.latencyMs = ms;
    return sendJson(reply, 200, { instance: host.name, ms });
  });
  app.get(`${CONTROL_PREFIX}/requests`, (_, reply) =>
    sendJson(reply, 200, { requests: host.log, countsByPath: Object.fromEntries(host.countsByPath) }),
  );
}

function registerOrgRoutes(app: FastifyInstance, state: SandboxState, host: HostState) {
  const orgs = () => state.orgsOn(host.name);

  app.get<{ Params: { object: string } }>(`${CONTROL_PREFIX}/records/:object`, (request, reply) => {
    const known = orgs().filter((org) => org.schema.object(request.params.object));
    if (known.length === 0) return sendJson(reply, 404, { error: `Unknown object ${request.params.object}` });
    return sendJson(
      reply,
      200,
      known.flatMap((org) => org.store.records(org.schema.object(request.params.object)?.name ?? '')),
    );
  });

  app.put(`${CONTROL_PREFIX}/limits`, (request, reply) => {
    const body = bodyOf(request.body);
    for (const org of orgs()) {
      org.settings.dailyApiLimit = optionalNumber(body.max) ?? org.settings.dailyApiLimit;
      org.apiRequestsUsed = optionalNumber(body.used) ?? org.apiRequestsUsed;
    }
    return sendJson(
      reply,
      200,
      orgs().map((org) => ({ org: org.key, max: org.settings.dailyApiLimit, used: org.apiRequestsUsed })),
    );
  });

  app.put(`${CONTROL_PREFIX}/settings`, (request, reply) => {
    const body = bodyOf(request.body);
    const changes: Partial<OrgSettings> = {};
    if (typeof body.searchIndexLagMs === 'number') changes.searchIndexLagMs = body.searchIndexLagMs;
    if (typeof body.sessionIdleSeconds === 'number') changes.sessionIdleSeconds = body.sessionIdleSeconds;
    if (typeof body.refreshTokenRotation === 'boolean')
      changes.refreshTokenRotation = body.refreshTokenRotation;
    if (typeof body.duplicateRules === 'boolean') changes.duplicateRules = body.duplicateRules;
    for (const org of orgs()) Object.assign(org.settings, changes);
    return sendJson(
      reply,
      200,
      orgs().map((org) => ({ org: org.key, settings: org.settings })),
    );
  });

  app.patch<{ Params: { object: string; field: string } }>(
    `${CONTROL_PREFIX}/objects/:object/fields/:field`,
    (request, reply) => {
      const body = bodyOf(request.body);
      const { object, field } = request.params;
      const types = orgs().map((org) => ({ org, type: org.schema.object(object) }));
      if (types.some(({ type }) => !type)) return sendJson(reply, 404, { error: `Unknown object ${object}` });
      let result: FieldDescribe | { deleted: true } = { deleted: true };
      for (const { org, type } of types) {
        if (!type) continue;
        if (body.deleted === true) {
          type.removeField(field);
        } else {
          const base =
            type.field(field) ??
            buildFieldDescribe(field, { type: (optionalString(body.type) ?? 'string') as FieldType });
          const picklistValues = picklistEntries(body.picklistValues);
          result = Object.assign({}, base, body, picklistValues && { picklistValues });
          type.setField(result);
        }
        org.store.reindex();
      }
      return sendJson(reply, 200, result);
    },
  );
}

export function registerControlRoutes(app: FastifyInstance, state: SandboxState, host: HostState) {
  registerFaultAndLatencyRoutes(app, host);
  registerOrgRoutes(app, state, host);
  app.post(`${CONTROL_PREFIX}/sessions/expire`, (_, reply) => {
    state.sessions.expireAllSessions();
    return reply.code(204).send();
  });
  app.post(`${CONTROL_PREFIX}/reset`, (_, reply) => {
    state.reset();
    return reply.code(204).send();
  });
}
