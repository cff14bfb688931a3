import { Controller, Get } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { AppModule } from '../../src/app.module';
import { Roles } from '../../src/common/auth/roles.decorator';
import { AllExceptionsFilter } from '../../src/common/errors/all-exceptions.filter';
import { createValidationPipe } from '../../src/common/http/validation.pipe';
import { ServedRegionOnly } from '../../src/modules/salesforce/regions/region.guard';
import { SalesforceModule } from '../../src/modules/salesforce/salesforce.module';
import { addTenant, type TestTenant } from '../support/connected-tenant';
import { startTestApp, type TestApp } from '../support/test-app';

/** Stands in for the agent routes of a later issue. */
@Controller('v1/probe')
class AgentProbeController {
  @Get()
  @Roles('agent')
  @ServedRegionOnly()
  probe() {
    return { ok: true };
  }
}

describe('Region pinning (a deployment serving us only)', () => {
  let sandbox: SandboxOrg;
  let t: TestApp;
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
    t = await startTestApp({ DEPLOYMENT_REGIONS: 'us' });
    // The same application plus a probe route, on the database startTestApp prepared.
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, SalesforceModule],
      controllers: [AgentProbeController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await t.close();
    await sandbox.close();
  });

  const connect = (
    tenant: TestTenant,
    org: { clientId: string; clientSecret: string; myDomainUrl: string },
  ) =>
    http.put('/v1/connection').set(tenant.admin).send({
      flow: 'client_credentials',
      loginUrl: org.myDomainUrl,
      profile: 'standard',
      clientId: org.clientId,
      clientSecret: org.clientSecret,
    });

  it('refuses at connect time an org on an instance of a region this deployment does not serve', async () => {
    const tenant = await addTenant({ http }, { region: 'us' });
    const res = await connect(tenant, sandbox.demo.euOrg).expect(422);
    expect(res.body.code).toBe('REGION_NOT_SERVED');
    expect(res.body.message).toContain('EU2');
    expect(res.body.message).toContain('region eu');
    await http.get('/v1/connection').set(tenant.admin).expect(404);
  });

  it('answers 421 REGION_MISDIRECTED on agent routes for a tenant another region serves, naming that region', async () => {
    const tenant = await addTenant({ http }, { region: 'eu' });
    const res = await http.get('/v1/probe').set(tenant.agent).expect(421);
    expect(res.body).toMatchObject({
      code: 'REGION_MISDIRECTED',
      message: expect.stringContaining('eu deployment'),
    });
  });

  it("lets a tenant of a served region through, judging by its org's region once connected", async () => {
    const local = await addTenant({ http }, { region: 'us' });
    await http.get('/v1/probe').set(local.agent).expect(200, { ok: true });

    const declaredElsewhere = await addTenant({ http }, { region: 'ap' });
    await http.get('/v1/probe').set(declaredElsewhere.agent).expect(421);
    await connect(declaredElsewhere, sandbox.demo).expect(200);
    await http.get('/v1/probe').set(declaredElsewhere.agent).expect(200);
  });
});
