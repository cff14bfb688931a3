import Fastify from 'fastify';
import { registerSecurityHeaders } from './security-headers';

describe('registerSecurityHeaders', () => {
  const app = Fastify();

  beforeAll(async () => {
    registerSecurityHeaders(app);
    app.get('/v1/thing', () => ({ ok: true }));
    app.get('/console/index.html', () => 'console');
    app.get('/v1/hijacked', (_request, reply) => {
      reply.hijack();
      reply.raw.end('written by hand');
    });
    app.get(
      '/console/own',
      {
        config: {
          helmet: {
            contentSecurityPolicy: {
              directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", 'cdn.example'] },
            },
          },
        },
      },
      () => 'own',
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it('puts the CSP and the other headers on API routes', async () => {
    const response = await app.inject({ url: '/v1/thing' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('leaves the CSP to pages under /console, keeping the other headers', async () => {
    const response = await app.inject({ url: '/console/index.html' });
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets a route bring its own policy', async () => {
    const response = await app.inject({ url: '/console/own' });
    expect(response.headers['content-security-policy']).toContain('cdn.example');
  });

  it('keeps the headers on routes that write the Node response themselves (hijack)', async () => {
    const response = await app.inject({ url: '/v1/hijacked' });
    expect(response.body).toBe('written by hand');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('puts the headers on answers to unknown URLs too', async () => {
    const response = await app.inject({ url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });
});
