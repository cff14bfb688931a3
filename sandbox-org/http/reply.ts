import type { FastifyReply } from 'fastify';

/** Salesforce's exact JSON content type (§2), not Fastify's `application/json; charset=utf-8`. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** A body serialised ahead of time (describe); `toJSON` lets it sit inside a composite envelope too. */
export class PreSerializedJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** What a Data API handler answers; `body` undefined means no body and no Content-Type (a 204, §2). */
export interface DataResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = body instanceof PreSerializedJson ? body.text : JSON.stringify(body);
  return reply.code(status).headers(headers).header('content-type', JSON_CONTENT_TYPE).send(text);
}

export function sendDataResponse(reply: FastifyReply, response: DataResponse) {
  if (response.body === undefined)
    return reply
      .code(response.status)
      .headers(response.headers ?? {})
      .send();
  return sendJson(reply, response.status, response.body, response.headers);
}
