import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Connection, OAuth2 } from '@jsforce/jsforce-node';
import jwt from 'jsonwebtoken';
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

/** salesforce-rest.md §1: token endpoint flows, field sets, errors, sessions. */
describe('sandbox org OAuth', () => {
  let sandbox: SandboxOrg;
  const tokenUrl = () => `${sandbox.loginUrl}/services/oauth2/token`;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  async function authorize(params: Record<string, string>): Promise<URL> {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: sandbox.demo.clientId,
      redirect_uri: sandbox.demo.redirectUri,
      state: 'tenant-42',
      ...params,
    });
    const response = await rawRequest(`${sandbox.loginUrl}/services/oauth2/authorize?${query.toString()}`);
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location') ?? '');
  }

  function pkcePair() {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  }

  describe('authorization code with PKCE', () => {
    it('redirects with code and state, and the code yields tokens with every §1.3 field', async () => {
      const { verifier, challenge } = pkcePair();
      const redirect = await authorize({ scope: 'api refresh_token id', code_challenge: challenge });
      expect(redirect.searchParams.get('state')).toBe('tenant-42');
      const response = await postForm(tokenUrl(), {
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        client_id: sandbox.demo.clientId,
        client_secret: sandbox.demo.clientSecret,
        redirect_uri: sandbox.demo.redirectUri,
        code_verifier: verifier,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      const token = response.body as TokenResponse;
      expect(token).toEqual({
        access_token: expect.stringMatching(/^00D\w{12}!/),
        refresh_token: expect.any(String),
        signature: expect.any(String),
        scope: 'api refresh_token id',
        instance_url: sandbox.instances.NA130.url,
        id: `${sandbox.loginUrl}/id/${sandbox.demo.orgId}/${token.id.split('/').pop()}`,
        token_type: 'Bearer',
        issued_at: expect.stringMatching(/^\d{13}$/),
      });
      const expected = createHmac('sha256', sandbox.demo.clientSecret)
        .update(token.id + token.issued_at)
        .digest('base64');
      expect(token.signature).toBe(expected);
    });

    it('answers invalid_request for a wrong verifier and invalid_grant for a missing one', async () => {
      for (const [verifier, error] of [
        ['not-the-verifier', 'invalid_request'],
        [undefined, 'invalid_grant'],
      ] as const) {
        const redirect = await authorize({ scope: 'api', code_challenge: pkcePair().challenge });
        const response = await postForm(tokenUrl(), {
          grant_type: 'authorization_code',
          code: redirect.searchParams.get('code') ?? '',
          client_id: sandbox.demo.clientId,
          redirect_uri: sandbox.demo.redirectUri,
          ...(verifier ? { code_verifier: verifier } : {}),
        });
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ error, error_description: expect.any(String) });
      }
    });

    it('redirects with access_denied when the user refuses consent', async () => {
      const redirect = await authorize({ sandbox_consent: 'deny' });
      expect(redirect.searchParams.get('error')).toBe('access_denied');
      expect(redirect.searchParams.get('error_description')).toBe('end-user denied authorization');
      expect(redirect.searchParams.get('state')).toBe('tenant-42');
    });

    it('drops scopes the app may not grant', async () => {
      const redirect = await authorize({
        client_id: sandbox.demo.restrictedClientId,
        redirect_uri: 'http://localhost/callback',
        scope: 'api id web',
      });
      const response = await postForm(tokenUrl(), {
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        client_id: sandbox.demo.restrictedClientId,
        client_secret: sandbox.demo.restrictedClientSecret,
        redirect_uri: 'http://localhost/callback',
      });
      expect((response.body as TokenResponse).scope).toBe('id web');
      expect((response.body as TokenResponse).refresh_token).toBeUndefined();
    });

    it('works through jsforce OAuth2 / Connection.authorize', async () => {
      const redirect = await authorize({ scope: 'api refresh_token' });
      const conn = new Connection({
        oauth2: new OAuth2({
          loginUrl: sandbox.loginUrl,
          clientId: sandbox.demo.clientId,
          clientSecret: sandbox.demo.clientSecret,
          redirectUri: sandbox.demo.redirectUri,
        }),
        version: API_VERSION,
      });
      const info = await conn.authorize(redirect.searchParams.get('code') ?? '');
      expect(info.organizationId).toBe(sandbox.demo.orgId);
      expect(conn.instanceUrl).toBe(sandbox.demo.instanceUrl);
      const result = await conn.query<{ InstanceName: string }>('SELECT InstanceName FROM Organization');
      expect(result.records[0].InstanceName).toBe('NA130');
    });
  });

  describe('refresh token', () => {
    async function webServerTokens(): Promise<TokenResponse> {
      const redirect = await authorize({ scope: 'api refresh_token' });
      const response = await postForm(tokenUrl(), {
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        client_id: sandbox.demo.clientId,
        client_secret: sandbox.demo.clientSecret,
        redirect_uri: sandbox.demo.redirectUri,
      });
      return response.body as TokenResponse;
    }

    it('issues a new access token without a refresh token when rotation is off, with Basic client auth', async () => {
      const tokens = await webServerTokens();
      const basic = Buffer.from(`${sandbox.demo.clientId}:${sandbox.demo.clientSecret}`).toString('base64');
      const response = await postForm(
        `${sandbox.demo.instanceUrl}/services/oauth2/token`,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' },
        { authorization: `Basic ${basic}` },
      );
      expect(response.status).toBe(200);
      const refreshed = response.body as TokenResponse;
      expect(refreshed.refresh_token).toBeUndefined();
      expect(refreshed.access_token).not.toBe(tokens.access_token);
      expect(refreshed.instance_url).toBe(sandbox.demo.instanceUrl);
    });

    it('rotates the refresh token when the org enables rotation; the old one then fails', async () => {
      await control(sandbox.demo.instanceUrl, 'PUT', '/settings', { refreshTokenRotation: true });
      const tokens = await webServerTokens();
      const refresh = (refreshToken: string) =>
        postForm(tokenUrl(), {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: sandbox.demo.clientId,
          client_secret: sandbox.demo.clientSecret,
        });
      const first = await refresh(tokens.refresh_token ?? '');
      const rotated = (first.body as TokenResponse).refresh_token;
      expect(rotated).toBeDefined();
      expect(rotated).not.toBe(tokens.refresh_token);
      const again = await refresh(tokens.refresh_token ?? '');
      expect(again.status).toBe(400);
      expect(again.body).toEqual({
        error: 'invalid_grant',
        error_description: 'expired access/refresh token',
      });
    });

    it('lets jsforce refresh by itself after the sessions expire', async () => {
      const tokens = await webServerTokens();
      const conn = new Connection({
        oauth2: new OAuth2({
          loginUrl: sandbox.loginUrl,
          clientId: sandbox.demo.clientId,
          clientSecret: sandbox.demo.clientSecret,
          redirectUri: sandbox.demo.redirectUri,
        }),
        instanceUrl: tokens.instance_url,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        version: API_VERSION,
      });
      const refreshed = jest.fn();
      conn.on('refresh', refreshed);
      await control(sandbox.demo.instanceUrl, 'POST', '/sessions/expire');
      const account = await conn.sobject('Account').create({ Name: 'After expiry' });
      expect(account.success).toBe(true);
      expect(refreshed).toHaveBeenCalledTimes(1);
    });

    it('revoking the refresh token kills the access tokens minted from it', async () => {
      const tokens = await webServerTokens();
      const revoke = await postForm(`${sandbox.loginUrl}/services/oauth2/revoke`, {
        token: tokens.refresh_token ?? '',
      });
      expect(revoke.status).toBe(200);
      const response = await dataApi(sandbox, tokens.access_token)('GET', '/limits');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Token');
      expect(response.body).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });
  });

  describe('JWT bearer', () => {
    const assertion = (claims: Record<string, unknown>, key = sandbox.demo.jwtPrivateKeyPem) =>
      jwt.sign(
        {
          iss: sandbox.demo.clientId,
          sub: sandbox.demo.username,
          aud: sandbox.loginUrl,
          exp: Math.floor(Date.now() / 1000) + 180,
          ...claims,
        },
        key,
        { algorithm: 'RS256' },
      );
    const exchange = (jwtAssertion: string) =>
      postForm(tokenUrl(), {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: jwtAssertion,
      });

    it('returns a token without refresh_token, issued_at or signature', async () => {
      const response = await exchange(assertion({}));
      expect(response.status).toBe(200);
      const token = response.body as TokenResponse;
      expect(Object.keys(token).sort()).toEqual([
        'access_token',
        'id',
        'instance_url',
        'scope',
        'token_type',
      ]);
      expect(token.instance_url).toBe(sandbox.demo.instanceUrl);
    });

    it('works at the My Domain as well as at the login host (§1.1)', async () => {
      const response = await postForm(`${sandbox.myDomainUrl}/services/oauth2/token`, {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: assertion({ aud: sandbox.myDomainUrl }),
      });
      expect(response.status).toBe(200);
      expect((response.body as TokenResponse).instance_url).toBe(sandbox.myDomainUrl);
    });

    it.each([
      ['a bad signature', () => assertion({}, jwtKeyNotTheApps), 'invalid assertion'],
      ['a wrong audience', () => assertion({ aud: 'https://evil.example' }), 'audience is invalid'],
      [
        'an expired assertion',
        () => assertion({ exp: Math.floor(Date.now() / 1000) - 60 }),
        'expired authorization code',
      ],
      [
        'an unknown user',
        () => assertion({ sub: 'nobody@aicall-demo.example' }),
        "user hasn't approved this consumer",
      ],
    ])('rejects %s with invalid_grant', async (_, build, description) => {
      const response = await exchange(build());
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_grant', error_description: description });
    });
  });

  describe('client credentials (My Domain only, §1.1)', () => {
    const myDomainTokenUrl = () => `${sandbox.myDomainUrl}/services/oauth2/token`;

    it('is refused at the login host with "request not supported on this domain"', async () => {
      const response = await postForm(tokenUrl(), {
        grant_type: 'client_credentials',
        client_id: sandbox.demo.clientId,
        client_secret: sandbox.demo.clientSecret,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_grant',
        error_description: 'request not supported on this domain',
      });
    });

    it('issues a token at the org’s My Domain that works on its data API', async () => {
      expect(sandbox.myDomainUrl).toBe(sandbox.instances.NA130.url);
      expect(sandbox.demo.myDomainUrl).toBe(sandbox.myDomainUrl);
      const response = await postForm(myDomainTokenUrl(), {
        grant_type: 'client_credentials',
        client_id: sandbox.demo.clientId,
        client_secret: sandbox.demo.clientSecret,
      });
      expect(response.status).toBe(200);
      const token = response.body as TokenResponse;
      expect(token.instance_url).toBe(sandbox.myDomainUrl);
      expect(token.refresh_token).toBeUndefined();
      const limits = await dataApi(sandbox, token.access_token)('GET', '/limits');
      expect(limits.status).toBe(200);
    });

    it('does not know another org’s connected app on a My Domain', async () => {
      const response = await postForm(myDomainTokenUrl(), {
        grant_type: 'client_credentials',
        client_id: sandbox.demo.euOrg.clientId,
        client_secret: sandbox.demo.euOrg.clientSecret,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
    });

    it('rejects a wrong secret with invalid_client and an unknown app with invalid_client_id', async () => {
      const wrong = await postForm(myDomainTokenUrl(), {
        grant_type: 'client_credentials',
        client_id: sandbox.demo.clientId,
        client_secret: 'nope',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
      const unknown = await postForm(myDomainTokenUrl(), {
        grant_type: 'client_credentials',
        client_id: 'x',
        client_secret: 'y',
      });
      expect(unknown.body).toEqual({
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
      const badGrant = await postForm(tokenUrl(), { grant_type: 'password' });
      expect(badGrant.body).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    });
  });

  describe('sessions and scopes on the Data API', () => {
    it('rejects a token without api/full scope with the non-refreshable message', async () => {
      const token = await demoToken(sandbox, 'restricted');
      const response = await dataApi(sandbox, token.access_token)('GET', '/limits');
      expect(response.status).toBe(401);
      expect(response.body).toEqual([
        { message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('rejects a malformed Authorization header with INVALID_AUTH_HEADER', async () => {
      const response = await rawRequest(`${sandbox.demo.instanceUrl}/services/data/v${API_VERSION}/limits`, {
        headers: { authorization: 'Token abc def' },
      });
      expect(response.status).toBe(401);
      expect(response.body).toEqual([{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
    });

    it('expires idle sessions after the configured timeout', async () => {
      await control(sandbox.demo.instanceUrl, 'PUT', '/settings', { sessionIdleSeconds: 0.05 });
      const token = await demoToken(sandbox);
      await new Promise((resolve) => setTimeout(resolve, 120));
      const response = await dataApi(sandbox, token.access_token)('GET', '/limits');
      expect(response.status).toBe(401);
      expect(response.body).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('introspects a live token and a revoked one', async () => {
      const token = await demoToken(sandbox);
      const introspect = () =>
        postForm(`${sandbox.loginUrl}/services/oauth2/introspect`, {
          token: token.access_token,
          client_id: sandbox.demo.clientId,
          client_secret: sandbox.demo.clientSecret,
        });
      expect((await introspect()).body).toMatchObject({
        active: true,
        client_id: sandbox.demo.clientId,
        username: sandbox.demo.username,
      });
      await postForm(`${sandbox.loginUrl}/services/oauth2/revoke`, { token: token.access_token });
      expect((await introspect()).body).toEqual({ active: false });
    });

    it('serves userinfo and the identity URL', async () => {
      const token = await demoToken(sandbox);
      const auth = { authorization: `Bearer ${token.access_token}` };
      const info = await rawRequest(`${sandbox.loginUrl}/services/oauth2/userinfo`, { headers: auth });
      expect(info.body).toMatchObject({
        sub: token.id,
        organization_id: sandbox.demo.orgId,
        preferred_username: sandbox.demo.username,
        urls: { rest: `${sandbox.demo.instanceUrl}/services/data/v{version}/` },
      });
      const identity = await rawRequest(token.id, { headers: auth });
      expect(identity.body).toMatchObject({
        id: token.id,
        username: sandbox.demo.username,
        organization_id: sandbox.demo.orgId,
      });
    });
  });

  describe('instances', () => {
    it('gives each org its own instance_url and refuses another instance’s tokens', async () => {
      const eu = sandbox.demo.euOrg;
      const response = await postForm(`${eu.myDomainUrl}/services/oauth2/token`, {
        grant_type: 'client_credentials',
        client_id: eu.clientId,
        client_secret: eu.clientSecret,
      });
      const token = response.body as TokenResponse;
      expect(token.instance_url).toBe(sandbox.instances.EU2.url);
      expect(sandbox.instances.EU2.region).toBe('eu');
      expect(sandbox.instances.EU2.port).not.toBe(sandbox.instances.NA130.port);
      const conn = new Connection({
        instanceUrl: token.instance_url,
        accessToken: token.access_token,
        version: API_VERSION,
      });
      const org = await conn.query<{ InstanceName: string }>('SELECT InstanceName FROM Organization');
      expect(org.records[0].InstanceName).toBe('EU2');
      const wrongInstance = await dataApi(sandbox, token.access_token)('GET', '/limits');
      expect(wrongInstance.status).toBe(401);
    });
  });
});

/** A key the connected app does not trust (generated once for the bad-signature case). */
const jwtKeyNotTheApps = (() => {
  const { generateKeyPairSync } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString();
})();
