/** @jest-environment node */
import { identify } from './SignInScreen';

/** The API as each kind of key sees it: which routes answer 200 and which 403. */
function apiFor(allowed: string[]) {
  return ((input: RequestInfo | URL) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    const status = allowed.includes(path) ? 200 : 403;
    const body =
      path === '/v1/tenant'
        ? { id: 't1', name: 'Acme', region: 'us' }
        : status === 200
          ? []
          : {
              statusCode: 403,
              code: 'FORBIDDEN',
              message: 'This key may not call this route',
              requestId: 'req-9',
            };
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );
  }) as typeof fetch;
}

describe('identify (sign in)', () => {
  it('opens the admin console for an admin key, named after its tenant', async () => {
    await expect(identify('a', 'http://api.test', apiFor(['/v1/tenant', '/v1/api-keys']))).resolves.toEqual({
      key: 'a',
      role: 'admin',
      label: 'Acme',
    });
  });

  it('opens the operator view for the operator key', async () => {
    await expect(identify('o', 'http://api.test', apiFor(['/v1/tenants']))).resolves.toMatchObject({
      role: 'operator',
    });
  });

  it('refuses an agent key: it is for calls, not configuration', async () => {
    await expect(identify('g', 'http://api.test', apiFor(['/v1/tenant']))).rejects.toMatchObject({
      code: 'AGENT_KEY',
    });
  });
});
