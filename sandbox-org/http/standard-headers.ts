import type { FastifyInstance } from 'fastify';

/** Headers every recorded Salesforce REST response carries (salesforce-rest.md §7, SF-JAVA recordings). */
const STANDARD_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-xss-protection': '1; mode=block',
  'x-robots-tag': 'none',
  'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
};

export function installStandardHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/services/')) void reply.headers(STANDARD_HEADERS);
    return payload;
  });
}
