import type { SandboxOrg } from '../index';

/**
 * Small raw-HTTP helpers for tests that must check exact statuses, headers and envelopes against the
 * sandbox org (jsforce hides those). Used by test/sandbox-org and available to the connector's tests.
 */

export const API_VERSION = '62.0';

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

export async function rawRequest(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

export function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  return rawRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
  scope: string;
  issued_at?: string;
  signature?: string;
  token_type: string;
}

/**
 * A token for the demo org's integration user through the client credentials flow, asked at the org's My
 * Domain: the login host refuses this grant (salesforce-rest.md §1.1).
 */
export async function demoToken(
  sandbox: SandboxOrg,
  app: 'demo' | 'restricted' = 'demo',
): Promise<TokenResponse> {
  const { demo } = sandbox;
  const response = await postForm(`${demo.myDomainUrl}/services/oauth2/token`, {
    grant_type: 'client_credentials',
    client_id: app === 'demo' ? demo.clientId : demo.restrictedClientId,
    client_secret: app === 'demo' ? demo.clientSecret : demo.restrictedClientSecret,
  });
  if (response.status !== 200) throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
  return response.body as TokenResponse;
}

/** A bound helper calling `/services/data/v62.0<path>` on the demo instance with a bearer token. */
export function dataApi(sandbox: SandboxOrg, accessToken: string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    rawRequest(`${sandbox.demo.instanceUrl}/services/data/v${API_VERSION}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** Calls the control API of a port (`/__sandbox/...`). */
export function control(baseUrl: string, method: string, path: string, body?: unknown) {
  return rawRequest(`${baseUrl}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
