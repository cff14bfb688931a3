import type { Problem } from './domain-error';

/** The one error body every route answers with (api.md, "Conventions"). */
export interface ErrorEnvelope {
  statusCode: number;
  code: string;
  message: string;
  problems?: Problem[];
  requestId?: string;
}
