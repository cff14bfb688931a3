import type { FastifyReply } from 'fastify';

/**
 * `Server-Timing: sf;dur=<ms>`: the time this request spent waiting for Salesforce, so a client (the benchmark)
 * can tell our own time (total minus this) from Salesforce's.
 */
export function setSalesforceTiming(reply: FastifyReply, salesforceMs: number): void {
  void reply.header('Server-Timing', `sf;dur=${salesforceMs.toFixed(2)}`);
}
