/** @jest-environment node */
import { ApiError, createApiClient, unwrap } from './client';

/** A fetch that records what it was sent and answers with the given response. */
function fakeFetch(answer: () => Response) {
  const sent: Request[] = [];
  const fetchImplementation = (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(input instanceof Request ? input : new Request(input, init));
    return Promise.resolve(answer());
  };
  return { sent, fetchImplementation: fetchImplementation };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('createApiClient', () => {
  it('sends the key current at each request, and none once signed out', async () => {
    let key: string | null = 'aick_admin_first';
    const { sent, fetchImplementation } = fakeFetch(() => json(200, { id: 't1', name: 'Acme' }));
    const api = createApiClient(() => key, 'http://api.test', fetchImplementation);
    await unwrap(api.GET('/v1/tenant'));
    key = null;
    await unwrap(api.GET('/v1/tenant'));
    expect(sent.map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer aick_admin_first',
      null,
    ]);
    expect(sent[0].url).toBe('http://api.test/v1/tenant');
  });

  it('turns the error envelope into an ApiError with code, message, problems and request id', async () => {
    const envelope = {
      statusCode: 422,
      code: 'MAPPING_INVALID',
      message: 'The map has 1 problem',
      problems: [{ field: 'targets[0]', code: 'TYPE_INCOMPATIBLE', message: 'datetime cannot take text' }],
      requestId: 'req-1',
    };
    const { fetchImplementation } = fakeFetch(() => json(422, envelope));
    const api = createApiClient(() => 'k', 'http://api.test', fetchImplementation);
    const error = await unwrap(api.GET('/v1/mappings')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'MAPPING_INVALID',
      message: 'The map has 1 problem',
      requestId: 'req-1',
      problems: envelope.problems,
    });
  });

  it('names a failure without an envelope by its status, with the X-Request-Id header', async () => {
    const { fetchImplementation } = fakeFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'req-2' } }),
    );
    const api = createApiClient(() => 'k', 'http://api.test', fetchImplementation);
    await expect(unwrap(api.GET('/v1/preflight'))).rejects.toMatchObject({
      code: 'HTTP_502',
      requestId: 'req-2',
    });
  });
});
