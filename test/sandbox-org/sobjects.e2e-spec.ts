import { Connection } from '@jsforce/jsforce-node';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import {
  API_VERSION,
  control,
  dataApi,
  demoToken,
  rawRequest,
} from '../../sandbox-org/testing/sandbox-test-client';

type Api = ReturnType<typeof dataApi>;
type Row = Record<string, unknown> & { Id: string };

/** salesforce-rest.md §2, §3, §6: sObject CRUD, upsert, describe, validation envelopes, platform headers. */
describe('sandbox org sObjects', () => {
  let sandbox: SandboxOrg;
  let api: Api;
  let conn: Connection;
  let userId: string;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    const token = await demoToken(sandbox);
    api = dataApi(sandbox, token.access_token);
    conn = new Connection({
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: API_VERSION,
    });
    userId = token.id.split('/').pop() ?? '';
  });

  const storedRecords = async (object: string) =>
    (await control(sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];

  describe('platform conventions', () => {
    it('lists versions without auth and without a limit header', async () => {
      const response = await rawRequest(`${sandbox.demo.instanceUrl}/services/data/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('sforce-limit-info')).toBeNull();
      expect(response.body).toContainEqual({
        label: "Summer '26",
        url: '/services/data/v67.0',
        version: '67.0',
      });
    });

    it('answers an unknown version with 404 NOT_FOUND and a retired one with 410', async () => {
      const bad = await rawRequest(`${sandbox.demo.instanceUrl}/services/data/viAmABadVersion/sobjects`);
      expect(bad.status).toBe(404);
      expect(bad.body).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
      const retired = await rawRequest(`${sandbox.demo.instanceUrl}/services/data/v29.0/sobjects`);
      expect(retired.status).toBe(410);
    });

    it('creates with 201, Location, Sforce-Limit-Info, an 18-char id and the exact content type', async () => {
      const response = await api('POST', '/sobjects/Account', { Name: 'Fresh Co', Phone: '4155550000' });
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
      expect(Number(response.headers.get('x-sandbox-elapsed-ms'))).toBeGreaterThanOrEqual(0);
      expect(response.headers.get('cache-control')).toBe(
        'no-cache,must-revalidate,max-age=0,no-store,private',
      );
      const body = response.body as { id: string };
      expect(body).toEqual({ id: expect.stringMatching(/^001\w{15}$/), success: true, errors: [] });
      expect(response.headers.get('location')).toBe(
        `/services/data/v${API_VERSION}/sobjects/Account/${body.id}`,
      );
    });

    it('updates with 204 and no Content-Type, and accepts the 15-character id', async () => {
      const { id } = (await api('POST', '/sobjects/Contact', { FirstName: 'Ada', LastName: 'Lovelace' }))
        .body as { id: string };
      const response = await api('PATCH', `/sobjects/Contact/${id.slice(0, 15)}`, { Title: 'Countess' });
      expect(response.status).toBe(204);
      expect(response.body).toBeUndefined();
      expect(response.headers.get('content-type')).toBeNull();
      const record = (await api('GET', `/sobjects/Contact/${id}?fields=Name,Title,OwnerId`)).body;
      expect(record).toEqual({
        attributes: { type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${id}` },
        Name: 'Ada Lovelace',
        Title: 'Countess',
        OwnerId: userId,
      });
    });

    it('deletes with 204, then answers ENTITY_IS_DELETED', async () => {
      const { id } = (await api('POST', '/sobjects/Lead', { LastName: 'Gone', Company: 'Temp' })).body as {
        id: string;
      };
      expect((await api('DELETE', `/sobjects/Lead/${id}`)).status).toBe(204);
      const again = await api('DELETE', `/sobjects/Lead/${id}`);
      expect(again.status).toBe(404);
      expect(again.body).toEqual([
        { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] },
      ]);
      expect((await api('GET', `/sobjects/Lead/${id}`)).status).toBe(404);
    });

    it('fills platform defaults on create', async () => {
      const task = await conn.sobject('Task').create({ Subject: 'Call', TaskSubtype: 'Call' });
      const stored = (await storedRecords('Task')).find((t) => t.Id === task.id);
      expect(stored).toMatchObject({
        Status: 'Not Started',
        Priority: 'Normal',
        OwnerId: userId,
        CreatedById: userId,
        CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      });
      const lead = await conn.sobject('Lead').create({ LastName: 'Default', Company: 'Co' });
      const storedLead = (await storedRecords('Lead')).find((l) => l.Id === lead.id);
      expect(storedLead).toMatchObject({
        IsConverted: false,
        Status: 'Open - Not Contacted',
        Name: 'Default',
      });
    });
  });

  describe('describe', () => {
    it('serves global, basic and full describe', async () => {
      const global = (await conn.describeGlobal()).sobjects.map((s) => s.name);
      expect(global).toEqual(
        expect.arrayContaining(['Account', 'Task', 'Call_Recording__c', 'Organization']),
      );
      const basic = (await api('GET', '/sobjects/Lead')).body as { objectDescribe: { keyPrefix: string } };
      expect(basic.objectDescribe.keyPrefix).toBe('00Q');
      const opportunity = await conn.sobject('Opportunity').describe();
      const stage = opportunity.fields.find((f) => f.name === 'StageName');
      expect(stage).toMatchObject({
        type: 'picklist',
        restrictedPicklist: true,
        nillable: false,
        label: 'Stage',
      });
      expect(opportunity.fields.find((f) => f.name === 'Demo_Requested_At__c')?.type).toBe('datetime');
      const account = await conn.sobject('Account').describe();
      expect(account.childRelationships.map((r) => r.relationshipName)).toEqual(
        expect.arrayContaining(['Contacts', 'Opportunities', 'Tasks', 'ChildAccounts', 'Support_Cases__r']),
      );
      const custom = (await conn.describeGlobal()).sobjects.filter((s) => s.custom).map((s) => s.keyPrefix);
      expect(new Set(custom).size).toBe(custom.length);
    });

    it('describes 200+ custom fields and an external id on every written object', async () => {
      let customFields = 0;
      for (const object of [
        'Account',
        'Contact',
        'Lead',
        'Opportunity',
        'Task',
        'Call_Recording__c',
        'Product_Interest__c',
        'Support_Case__c',
      ]) {
        const describe = await conn.sobject(object).describe();
        customFields += describe.fields.filter((f) => f.custom).length;
        expect(describe.fields.find((f) => f.name === 'AICall_External_Id__c')).toMatchObject({
          externalId: true,
          unique: true,
        });
      }
      expect(customFields).toBeGreaterThanOrEqual(200);
    });

    it('answers an unknown sObject with 404 NOT_FOUND', async () => {
      const response = await api('POST', '/sobjects/Nope__c', { Name: 'x' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    });
  });

  describe('upsert by external id', () => {
    const path = '/sobjects/Account/AICall_External_Id__c/ext-1';

    it('creates (201), updates (200 v46+, 204 v45), and refuses Id or the key in the body', async () => {
      const created = await api('PATCH', path, { Name: 'Upserted' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
      const updated = await api('PATCH', path, { Name: 'Upserted again' });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({
        id: (created.body as { id: string }).id,
        success: true,
        errors: [],
        created: false,
      });
      const old = await rawRequest(`${sandbox.demo.instanceUrl}/services/data/v45.0${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Name: 'v45' }),
      });
      expect(old.status).toBe(204);
      const withKey = await api('PATCH', path, { AICall_External_Id__c: 'ext-1' });
      expect(withKey.status).toBe(400);
    });

    it('answers 300 with the record URLs when several records match', async () => {
      await control(sandbox.demo.instanceUrl, 'PATCH', '/objects/Lead/fields/AICall_External_Id__c', {
        unique: false,
      });
      const a = await conn
        .sobject('Lead')
        .create({ LastName: 'A', Company: 'C', AICall_External_Id__c: 'dup' });
      const b = await conn
        .sobject('Lead')
        .create({ LastName: 'B', Company: 'C', AICall_External_Id__c: 'dup' });
      const response = await api('PATCH', '/sobjects/Lead/AICall_External_Id__c/dup', { Title: 'x' });
      expect(response.status).toBe(300);
      expect(response.body).toEqual(
        [a.id, b.id].map((id) => `/services/data/v${API_VERSION}/sobjects/Lead/${id}`),
      );
    });

    it('never creates with updateOnly=true, and links a parent named by external id', async () => {
      const missing = await api('PATCH', '/sobjects/Account/AICall_External_Id__c/none?updateOnly=true', {
        Name: 'x',
      });
      expect(missing.status).toBe(404);
      const contact = await api('PATCH', '/sobjects/Contact/AICall_External_Id__c/c-1', {
        LastName: 'Linked',
        Account: { AICall_External_Id__c: 'acct-acme' },
      });
      expect(contact.status).toBe(201);
      const { id } = contact.body as { id: string };
      const record = (await api('GET', `/sobjects/Contact/${id}?fields=AccountId`)).body as Row;
      const acme = (await storedRecords('Account')).find((a) => a.AICall_External_Id__c === 'acct-acme');
      expect(record.AccountId).toBe(acme?.Id);
    });

    it('answers 404 for an unknown external id field', async () => {
      const response = await api('PATCH', '/sobjects/Account/Namez/x', { Name: 'x' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual([
        {
          message: 'Provided external ID field does not exist or is not accessible: Namez',
          errorCode: 'NOT_FOUND',
        },
      ]);
    });
  });

  describe('validation from describe metadata (§3.1, §6.3)', () => {
    const accountId = async () => (await storedRecords('Account'))[0].Id;

    it.each([
      [
        'unknown field',
        'Account',
        { Name: 'x', FavoritePet__c: 'cat' },
        [
          {
            message: "No such column 'FavoritePet__c' on sobject of type Account",
            errorCode: 'INVALID_FIELD',
          },
        ],
      ],
      [
        'Id in a create',
        'Account',
        { Id: '001000000000000AAA', Name: 'x' },
        [
          {
            message: 'The Id field should not be specified in the sobject data.',
            errorCode: 'INVALID_FIELD',
          },
        ],
      ],
      [
        'required fields',
        'Opportunity',
        { Name: 'No stage' },
        [
          {
            message: 'Required fields are missing: [StageName, CloseDate]',
            errorCode: 'REQUIRED_FIELD_MISSING',
            fields: ['StageName', 'CloseDate'],
          },
        ],
      ],
      [
        'restricted picklist',
        'Opportunity',
        { Name: 'x', StageName: 'Terrible', CloseDate: '2026-06-01' },
        [
          {
            message: 'Stage: bad value for restricted picklist field: Terrible',
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: ['StageName'],
          },
        ],
      ],
      [
        'too long',
        'Contact',
        { LastName: 'x', FirstName: 'y'.repeat(41) },
        [
          {
            message: `First Name: data value too large: ${'y'.repeat(41)} (max length=40)`,
            errorCode: 'STRING_TOO_LONG',
            fields: ['FirstName'],
          },
        ],
      ],
      [
        'read-only field',
        'Lead',
        { LastName: 'x', Company: 'y', IsConverted: true },
        [
          {
            message: expect.stringContaining('Unable to create fields: IsConverted'),
            errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            fields: ['IsConverted'],
          },
        ],
      ],
      [
        'validation rule',
        'Opportunity',
        { Name: 'x', StageName: 'Prospecting', CloseDate: '2026-06-01', Amount: -5 },
        [
          {
            message: 'Amount must not be negative.',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: ['Amount'],
          },
        ],
      ],
      [
        'number given text',
        'Opportunity',
        { Name: 'x', StageName: 'Prospecting', CloseDate: '2026-06-01', Amount: 'lots' },
        [
          {
            message: expect.stringMatching(
              /^Cannot deserialize instance of currency from VALUE_STRING value lots/,
            ),
            errorCode: 'JSON_PARSER_ERROR',
          },
        ],
      ],
      [
        'bad date',
        'Opportunity',
        { Name: 'x', StageName: 'Prospecting', CloseDate: '2026-02-31' },
        [
          {
            message: expect.stringContaining('Cannot deserialize instance of date'),
            errorCode: 'JSON_PARSER_ERROR',
          },
        ],
      ],
      [
        'unknown reference',
        'Contact',
        { LastName: 'x', AccountId: '001000000000000AAA' },
        [
          {
            message: 'invalid cross reference id',
            errorCode: 'INVALID_CROSS_REFERENCE_KEY',
            fields: ['AccountId'],
          },
        ],
      ],
      [
        'reference to the wrong object',
        'Contact',
        { LastName: 'x', AccountId: '003000000000000AAA' },
        [
          {
            message: 'Account: id value of incorrect type: 003000000000000AAA',
            errorCode: 'FIELD_INTEGRITY_EXCEPTION',
            fields: ['AccountId'],
          },
        ],
      ],
    ])('%s', async (_, object, body, expected) => {
      const response = await api('POST', `/sobjects/${object}`, body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(expected);
    });

    it('MALFORMED_ID for a wrong-prefix or garbled id', async () => {
      const response = await api('PATCH', '/sobjects/Account/a00B000000FSjVUIB1', { Name: 'x' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual([
        {
          message: 'Account ID: id value of incorrect type: a00B000000FSjVUIB1',
          errorCode: 'MALFORMED_ID',
          fields: ['Id'],
        },
      ]);
      expect((await api('GET', '/sobjects/Account/001xyz')).status).toBe(400);
      // the recorded custom-object case (SF-JAVA update-malformed-id): a garbled checksum, "Record ID" label
      const custom = await api('PATCH', '/sobjects/Call_Recording__c/a00B000000FSjVUIB1', {
        Call_Id__c: 'x',
      });
      expect(custom.body).toEqual([
        {
          message: 'Record ID: id value of incorrect type: a00B000000FSjVUIB1',
          errorCode: 'MALFORMED_ID',
          fields: ['Id'],
        },
      ]);
    });

    it('MALFORMED_ID, not 404, for an 18-char id whose checksum contradicts its letters (§3.2)', async () => {
      const { id } = (await api('POST', '/sobjects/Account', { Name: 'Checksum Co' })).body as { id: string };
      // suffix AAA says "every letter is lower-case", which the upper-case letters of the id contradict
      expect(id.slice(0, 15)).toMatch(/[A-Z]/);
      const flipped = `${id.slice(0, 15)}AAA`;
      const expected = [
        {
          message: `Account ID: id value of incorrect type: ${flipped}`,
          errorCode: 'MALFORMED_ID',
          fields: ['Id'],
        },
      ];
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const response = await api(
          method,
          `/sobjects/Account/${flipped}`,
          method === 'PATCH' ? { Rating: 'Hot' } : undefined,
        );
        expect([method, response.status, response.body]).toEqual([method, 400, expected]);
      }
      expect((await api('GET', `/sobjects/Account/${id.toLowerCase()}`)).status).toBe(200);
      const composite = await api('POST', '/composite', {
        compositeRequest: [
          {
            method: 'GET',
            url: `/services/data/v${API_VERSION}/sobjects/Account/${flipped}`,
            referenceId: 'bad',
          },
        ],
      });
      expect((composite.body as { compositeResponse: unknown[] }).compositeResponse[0]).toMatchObject({
        httpStatusCode: 400,
        body: expected,
      });
      const reference = await api('POST', '/sobjects/Contact', { LastName: 'Ref', AccountId: flipped });
      expect(reference.body).toEqual([
        {
          message: `Account: id value of incorrect type: ${flipped}`,
          errorCode: 'MALFORMED_ID',
          fields: ['AccountId'],
        },
      ]);
    });

    it('knows TaskSubtype by its API value ListEmail (label "List Email")', async () => {
      const describe = await conn.sobject('Task').describe();
      const subtype = describe.fields.find((f) => f.name === 'TaskSubtype');
      expect(subtype?.picklistValues).toContainEqual(
        expect.objectContaining({ value: 'ListEmail', label: 'List Email' }),
      );
      expect(
        (await api('POST', '/sobjects/Task', { Subject: 'Mailing', TaskSubtype: 'ListEmail' })).status,
      ).toBe(201);
      const byLabel = await api('POST', '/sobjects/Task', { Subject: 'Mailing', TaskSubtype: 'List Email' });
      expect(byLabel.body).toEqual([
        {
          message: 'Task Subtype: bad value for restricted picklist field: List Email',
          errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          fields: ['TaskSubtype'],
        },
      ]);
    });

    it('DUPLICATE_VALUE on a unique external id', async () => {
      const first = await conn.sobject('Contact').create({ LastName: 'One', AICall_External_Id__c: 'same' });
      const response = await api('POST', '/sobjects/Contact', {
        LastName: 'Two',
        AICall_External_Id__c: 'SAME',
      });
      expect(response.body).toEqual([
        {
          message: `duplicate value found: AICall_External_Id__c duplicates value on record with id: ${first.id}`,
          errorCode: 'DUPLICATE_VALUE',
          fields: [],
        },
      ]);
    });

    it('accepts a valid reference and a datetime in any ISO form', async () => {
      const response = await api('POST', '/sobjects/Opportunity', {
        Name: 'Demo',
        StageName: 'Demo Scheduled',
        CloseDate: '2026-07-01',
        AccountId: await accountId(),
        Demo_Requested_At__c: '2026-05-20T22:49:32+02:00',
      });
      expect(response.status).toBe(201);
      const { id } = response.body as { id: string };
      const record = (await api('GET', `/sobjects/Opportunity/${id}?fields=Demo_Requested_At__c`))
        .body as Row;
      expect(record.Demo_Requested_At__c).toBe('2026-05-20T20:49:32.000+0000');
    });
  });

  describe('lead assignment rules (Sforce-Auto-Assign, §7)', () => {
    const routingUserId = async () =>
      (await storedRecords('User')).find((u) => u.Username === 'lead-routing@aicall-demo.example')?.Id;

    it('assigns the routing user when the header is absent or TRUE, keeps the caller when FALSE', async () => {
      const routing = await routingUserId();
      const absent = (await api('POST', '/sobjects/Lead', { LastName: 'A', Company: 'C' })).body as {
        id: string;
      };
      const forced = (
        await api('POST', '/sobjects/Lead', { LastName: 'B', Company: 'C' }, { 'Sforce-Auto-Assign': 'TRUE' })
      ).body as { id: string };
      const off = (
        await api(
          'POST',
          '/sobjects/Lead',
          { LastName: 'C', Company: 'C' },
          { 'Sforce-Auto-Assign': 'FALSE' },
        )
      ).body as { id: string };
      const owners = new Map((await storedRecords('Lead')).map((l) => [l.Id, l.OwnerId]));
      expect(owners.get(absent.id)).toBe(routing);
      expect(owners.get(forced.id)).toBe(routing);
      expect(owners.get(off.id)).toBe(userId);
      const log = (await control(sandbox.demo.instanceUrl, 'GET', '/requests')).body as {
        requests: { sforceAutoAssign?: string }[];
      };
      expect(log.requests.map((r) => r.sforceAutoAssign).filter(Boolean)).toEqual(['TRUE', 'FALSE']);
    });
  });

  describe('seeded org', () => {
    it('has phone numbers in several formats, a converted lead, and the Organization record', async () => {
      const phones = [
        ...(await storedRecords('Account')),
        ...(await storedRecords('Contact')),
        ...(await storedRecords('Lead')),
      ]
        .flatMap((r) => [r.Phone, r.MobilePhone])
        .filter(Boolean);
      expect(phones).toEqual(
        expect.arrayContaining([
          '(415) 555-1212',
          '+1 415 555 1313',
          '415.555.1414',
          '4155551515',
          '+44 20 7946 0018',
        ]),
      );
      expect((await storedRecords('Lead')).some((l) => l.IsConverted === true)).toBe(true);
      const org = await conn.query<Row>('SELECT Id, Name, InstanceName, IsSandbox FROM Organization');
      expect(org.records[0]).toMatchObject({
        Id: sandbox.demo.orgId,
        InstanceName: 'NA130',
        IsSandbox: true,
      });
    });
  });
});
