import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The error envelope every API failure carries (`{statusCode, code, message, problems?, requestId}`). */
export interface Problem {
  field?: string;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Turns whatever came back (the envelope, or a proxy's HTML) into an ApiError. */
  static from(response: Response, body: unknown): ApiError {
    const envelope = (typeof body === 'object' && body !== null ? body : {}) as Partial<{
      code: string;
      message: string;
      requestId: string;
      problems: Problem[];
    }>;
    return new ApiError(
      response.status,
      envelope.code ?? `HTTP_${response.status}`,
      envelope.message ?? response.statusText,
      envelope.requestId ?? response.headers.get('x-request-id'),
      envelope.problems ?? [],
    );
  }
}

/**
 * The typed client of our own API (types generated from its OpenAPI document by `npm run api:types`).
 * `getKey` supplies the signed-in key per request, so signing out takes effect on the next call.
 */
export function createApiClient(
  getKey: () => string | null,
  baseUrl = '',
  fetchImplementation?: typeof fetch,
) {
  const client = createClient<paths>({
    baseUrl,
    ...(fetchImplementation ? { fetch: fetchImplementation } : {}),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      const key = getKey();
      if (key) request.headers.set('Authorization', `Bearer ${key}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Unwraps an openapi-fetch answer: its data, or an ApiError carrying code, message and request id. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response, error);
  return data as T;
}
