/** Small JSON-over-HTTP helper for provisioning and the sandbox control API (not on the measured path). */
export interface JsonResponse {
  status: number;
  body: unknown;
}

export async function requestJson(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { token?: string; body?: unknown; expect?: number } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body: unknown = text ? parseOrText(text) : undefined;
  if (options.expect !== undefined && response.status !== options.expect) {
    throw new Error(
      `${method} ${url}: expected ${options.expect}, got ${response.status} ${text.slice(0, 500)}`,
    );
  }
  return { status: response.status, body };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads a string property of a JSON object answer, or fails naming it. */
export function stringField(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') throw new Error(`expected a string "${name}" in ${JSON.stringify(body)}`);
  return value;
}
