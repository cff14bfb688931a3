import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import {
  API_VERSION,
  control,
  dataApi,
  demoToken,
  postForm,
  rawRequest,
  type TokenResponse,
} from '../../sandbox-org/testing/sandbox-test-client';

type Api = ReturnType<typeof dataApi>;
type Row = Record<string, unknown> & { Id: string };

/** The seeded chatter-only connected app (org-definition/orgs.json) for the §8 scope rule. */
const CHATTER_ONLY_APP = {
  client_id: '3MVG9Sbx.ChatterOnlyClientId',
  client_secret: 'demo-secret-not-for-production-chatter',
};

/** salesforce-rest.md §7, §8 and the control API of api.md: Chatter, limits, faults, latency, log, reset, metadata. */
describe('sandbox org platform and control API', () => {
  let sandbox: SandboxOrg;
  let api: Api;
  let instanceUrl: string;

  beforeAll(async () => {
    sandbox = await startSandboxOrg({ settings: { searchIndexLagMs: 0 } });
    instanceUrl = sandbox.demo.instanceUrl;
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    api = dataApi(sandbox, (await demoToken(sandbox)).access_token);
  });

  const firstAccountId = async () =>
    ((await control(instanceUrl, 'GET', '/records/Account')).body as Row[])[0].Id;

  describe('Chatter feed elements', () => {
    it('posts a Feed Item from a JSON body (201, 0D5 id, body segments, parent, actor)', async () => {
      const subjectId = await firstAccountId();
      const response = await api('POST', '/chatter/feed-elements', {
        feedElementType: 'FeedItem',
        subjectId,
        body: { messageSegments: [{ type: 'Text', text: 'Call summary: asked about invoice 123.' }] },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(/^0D5\w{15}$/),
        feedElementType: 'FeedItem',
        body: {
          text: 'Call summary: asked about invoice 123.',
          messageSegments: [{ type: 'Text', text: 'Call summary: asked about invoice 123.' }],
        },
        parent: { id: subjectId, name: 'Acme Corporation' },
        actor: { type: 'User' },
        createdDate: expect.stringMatching(/\+0000$/),
        url: expect.stringMatching(/^\/services\/data\/v62\.0\/chatter\/feed-elements\/0D5/),
      });
    });

    it('accepts the query-string shortcut and a chatter_api-only token, refuses a token without it', async () => {
      const subjectId = await firstAccountId();
      const chatterToken = (
        await postForm(`${instanceUrl}/services/oauth2/token`, {
          grant_type: 'client_credentials',
          ...CHATTER_ONLY_APP,
        })
      ).body as TokenResponse;
      const chatterApi = dataApi(sandbox, chatterToken.access_token);
      const posted = await chatterApi(
        'POST',
        `/chatter/feed-elements?feedElementType=FeedItem&subjectId=${subjectId}&text=New+post`,
        {},
      );
      expect(posted.status).toBe(201);
      expect((posted.body as { body: { text: string } }).body.text).toBe('New post');
      expect((await chatterApi('GET', '/limits')).status).toBe(401);
      const restricted = dataApi(sandbox, (await demoToken(sandbox, 'restricted')).access_token);
      const refused = await restricted(
        'POST',
        `/chatter/feed-elements?feedElementType=FeedItem&subjectId=${subjectId}&text=x`,
        {},
      );
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual([
        { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });
  });

  describe('limits', () => {
    it('reports DailyApiRequests and answers 403 REQUEST_LIMIT_EXCEEDED once the allowance is spent', async () => {
      await control(instanceUrl, 'PUT', '/limits', { max: 10, used: 8 });
      const limits = await api('GET', '/limits');
      expect((limits.body as Record<string, unknown>).DailyApiRequests).toEqual({ Max: 10, Remaining: 1 });
      expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=9/10');
      await api('GET', '/limits');
      const refused = await api('GET', '/limits');
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    });
  });

  describe('faults and latency', () => {
    it('fails the next matching requests with a Salesforce-shaped body, then serves normally', async () => {
      await control(instanceUrl, 'POST', '/faults', {
        method: 'GET',
        path: '/limits',
        status: 503,
        times: 2,
      });
      const expected = [
        {
          message: 'Server temporarily unavailable. Please try again later.',
          errorCode: 'SERVER_UNAVAILABLE',
        },
      ];
      for (let i = 0; i < 2; i++) {
        const failed = await api('GET', '/limits');
        expect([failed.status, failed.body]).toEqual([503, expected]);
      }
      expect((await api('GET', '/limits')).status).toBe(200);
      await control(instanceUrl, 'POST', '/faults', { path: '/sobjects/Account', status: 400 });
      const locked = await api('POST', '/sobjects/Account', { Name: 'x' });
      expect((locked.body as { errorCode: string }[])[0].errorCode).toBe('UNABLE_TO_LOCK_ROW');
    });

    it('can answer with an HTML maintenance page', async () => {
      await control(instanceUrl, 'POST', '/faults', { path: '/limits', status: 503, html: true });
      const page = await api('GET', '/limits');
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    });

    it('fails the token endpoint with an OAuth-shaped body, and a 401 with WWW-Authenticate', async () => {
      await control(sandbox.loginUrl, 'POST', '/faults', {
        path: '/services/oauth2/token',
        status: 400,
        message: 'expired access/refresh token',
      });
      const token = await postForm(`${sandbox.loginUrl}/services/oauth2/token`, {
        grant_type: 'client_credentials',
      });
      expect(token.body).toEqual({
        error: 'invalid_grant',
        error_description: 'expired access/refresh token',
      });
      await control(instanceUrl, 'POST', '/faults', { path: '/limits', status: 401 });
      const unauthorized = await api('GET', '/limits');
      expect(unauthorized.headers.get('www-authenticate')).toBe('Token');
      expect(unauthorized.body).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('delays requests (latency per instance, delay faults) and reports it in X-Sandbox-Elapsed-Ms', async () => {
      await control(instanceUrl, 'PUT', '/latency', { ms: 60 });
      const slow = await api('GET', '/limits');
      expect(Number(slow.headers.get('x-sandbox-elapsed-ms'))).toBeGreaterThanOrEqual(59);
      const eu = await rawRequest(`${sandbox.instances.EU2.url}/services/data/`);
      expect(Number(eu.headers.get('x-sandbox-elapsed-ms'))).toBeLessThan(50);
      await control(instanceUrl, 'PUT', '/latency', { ms: 0 });
      await control(instanceUrl, 'POST', '/faults', { path: '/limits', delayMs: 80 });
      const delayed = await api('GET', '/limits');
      expect(delayed.status).toBe(200);
      expect(Number(delayed.headers.get('x-sandbox-elapsed-ms'))).toBeGreaterThanOrEqual(79);
      await control(instanceUrl, 'POST', '/faults', { path: '/limits', status: 500, times: 5 });
      expect((await control(instanceUrl, 'DELETE', '/faults')).status).toBe(204);
      expect((await api('GET', '/limits')).status).toBe(200);
    });

    it('commits a request and then delays or cuts its answer (a slow or lost response)', async () => {
      const accounts = async () => (await control(instanceUrl, 'GET', '/records/Account')).body as Row[];
      const before = (await accounts()).length;
      await control(instanceUrl, 'POST', '/faults', { path: '/sobjects/Account', dropResponse: true });
      await expect(api('POST', '/sobjects/Account', { Name: 'Lost answer' })).rejects.toThrow();
      expect((await accounts()).map((a) => a.Name)).toContain('Lost answer');

      await control(instanceUrl, 'POST', '/faults', { path: '/sobjects/Account', responseDelayMs: 300 });
      const slow = api('POST', '/sobjects/Account', { Name: 'Slow answer' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await accounts()).map((a) => a.Name)).toContain('Slow answer');
      expect((await slow).status).toBe(201);
      expect((await accounts()).length).toBe(before + 2);

      const log = (await control(instanceUrl, 'GET', '/requests')).body as {
        requests: Array<{ path: string; status: number }>;
      };
      const accountPosts = log.requests.filter((r) => r.path.endsWith('/sobjects/Account'));
      expect(accountPosts.map((r) => r.status)).toEqual([0, 201]);
      const refused = await control(instanceUrl, 'POST', '/faults', { status: 503, dropResponse: true });
      expect(refused.status).toBe(400);
    });
  });

  describe('request log, reset and metadata drift', () => {
    it('logs method, path, status, ms, headers and the connection id; counts per path', async () => {
      await api('GET', '/limits', undefined, { 'Sforce-Call-Options': 'client=aicall' });
      const log = (await control(instanceUrl, 'GET', '/requests')).body as {
        requests: Row[];
        countsByPath: Record<string, number>;
      };
      expect(log.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/services/data/v${API_VERSION}/limits`,
        status: 200,
        ms: expect.any(Number),
        connectionId: expect.any(Number),
        sforceCallOptions: 'client=aicall',
      });
      expect(log.countsByPath[`/services/data/v${API_VERSION}/limits`]).toBe(1);
    });

    it('reset restores records and forgets sessions', async () => {
      const token = await demoToken(sandbox);
      await dataApi(sandbox, token.access_token)('POST', '/sobjects/Account', { Name: 'Temporary' });
      expect((await control(instanceUrl, 'POST', '/reset')).status).toBe(204);
      const accounts = (await control(instanceUrl, 'GET', '/records/Account')).body as Row[];
      expect(accounts.some((a) => a.Name === 'Temporary')).toBe(false);
      expect((await dataApi(sandbox, token.access_token)('GET', '/limits')).status).toBe(401);
    });

    it('changes, adds and removes field metadata', async () => {
      await control(instanceUrl, 'PATCH', '/objects/Account/fields/AccountNumber', { length: 5 });
      const tooLong = await api('POST', '/sobjects/Account', { Name: 'x', AccountNumber: '123456' });
      expect((tooLong.body as { errorCode: string }[])[0].errorCode).toBe('STRING_TOO_LONG');
      await control(instanceUrl, 'PATCH', '/objects/Account/fields/Drift__c', {
        type: 'picklist',
        restrictedPicklist: true,
        picklistValues: ['A', 'B'],
      });
      const describe = (await api('GET', '/sobjects/Account/describe')).body as { fields: Row[] };
      expect(describe.fields.find((f) => f.name === 'Drift__c')).toMatchObject({
        type: 'picklist',
        picklistValues: [{ value: 'A' }, { value: 'B' }],
      });
      await control(instanceUrl, 'PATCH', '/objects/Account/fields/Fax', { deleted: true });
      const removed = await api('POST', '/sobjects/Account', { Name: 'x', Fax: '1' });
      expect(removed.body).toEqual([
        { message: "No such column 'Fax' on sobject of type Account", errorCode: 'INVALID_FIELD' },
      ]);
    });
  });
});
