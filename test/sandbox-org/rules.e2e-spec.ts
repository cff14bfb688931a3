import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { API_VERSION, control, dataApi, demoToken } from '../../sandbox-org/testing/sandbox-test-client';

type Api = ReturnType<typeof dataApi>;
type Row = Record<string, unknown> & { Id: string };

const V = `/services/data/v${API_VERSION}`;

/** The DUPLICATES_DETECTED body the sandbox answers (§6.1, §6.3; exact shape [belief], README). */
const duplicatesDetected = (object: string, matchIds: string[]) => [
  {
    message: 'Use one of these records?',
    errorCode: 'DUPLICATES_DETECTED',
    fields: [],
    duplicateResult: {
      allowSave: true,
      duplicateRule: `Standard_${object}_Duplicate_Rule`,
      duplicateRuleEntityType: object,
      errorMessage: "You're creating a duplicate record. We recommend you use an existing record instead.",
      includeRecordDetails: false,
      matchResults: [
        {
          entityType: object,
          errors: [],
          matchEngine: 'FuzzyMatchEngine',
          matchRecords: matchIds.map((id) => ({
            additionalInformation: [],
            fieldDiffs: [],
            matchConfidence: 100,
            record: { attributes: { type: object, url: `${V}/sobjects/${object}/${id}` }, Id: id },
          })),
          rule: `Standard_${object}_Match_Rule_v1_0`,
          size: matchIds.length,
          success: true,
        },
      ],
    },
  },
];

/** salesforce-rest.md §7 (Sforce-Auto-Assign) and §5.2/§6.3 (standard duplicate rules). */
describe('sandbox org assignment and duplicate rules', () => {
  let sandbox: SandboxOrg;
  let api: Api;
  let userId: string;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    const token = await demoToken(sandbox);
    api = dataApi(sandbox, token.access_token);
    userId = token.id.split('/').pop() ?? '';
  });

  const stored = async (object: string) =>
    (await control(sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];
  const idOf = (response: { body: unknown }) => (response.body as { id: string }).id;
  const ownerOf = async (object: string, id: string) =>
    (await stored(object)).find((r) => r.Id === id)?.OwnerId;

  describe('Account assignment rule (Sforce-Auto-Assign, TRUE when absent)', () => {
    it('gives a new or updated Account to the territory owner unless the header says FALSE', async () => {
      const territoryOwner = (await stored('User')).find(
        (u) => u.Username === 'territory-owner@aicall-demo.example',
      )?.Id;
      expect(territoryOwner).toBeDefined();
      const routed = idOf(await api('POST', '/sobjects/Account', { Name: 'Routed Co' }));
      const kept = idOf(
        await api('POST', '/sobjects/Account', { Name: 'Kept Co' }, { 'Sforce-Auto-Assign': 'FALSE' }),
      );
      expect(await ownerOf('Account', routed)).toBe(territoryOwner);
      expect(await ownerOf('Account', kept)).toBe(userId);

      await api('PATCH', `/sobjects/Account/${kept}`, { Rating: 'Warm' }, { 'Sforce-Auto-Assign': 'FALSE' });
      expect(await ownerOf('Account', kept)).toBe(userId);
      await api('PATCH', `/sobjects/Account/${kept}`, { Rating: 'Hot' });
      expect(await ownerOf('Account', kept)).toBe(territoryOwner);
    });

    it('logs the header each composite subrequest carried', async () => {
      await api('POST', '/composite', {
        compositeRequest: [
          {
            method: 'POST',
            url: `${V}/sobjects/Account`,
            referenceId: 'acct',
            body: { Name: 'Logged Co' },
            httpHeaders: { 'sforce-auto-assign': 'FALSE', 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
          },
          {
            method: 'POST',
            url: `${V}/sobjects/Lead`,
            referenceId: 'lead',
            body: { LastName: 'L', Company: 'C' },
          },
        ],
      });
      const log = (await control(sandbox.demo.instanceUrl, 'GET', '/requests')).body as {
        requests: { path: string; subrequests?: unknown[] }[];
      };
      expect(log.requests.find((r) => r.path === `${V}/composite`)?.subrequests).toEqual([
        {
          method: 'POST',
          url: `${V}/sobjects/Account`,
          sforceAutoAssign: 'FALSE',
          sforceDuplicateRuleHeader: 'allowSave=true',
        },
        { method: 'POST', url: `${V}/sobjects/Lead` },
      ]);
    });
  });

  describe('standard duplicate rules', () => {
    it('blocks a Lead with the e-mail of another Lead (any case), naming the match', async () => {
      const first = idOf(
        await api('POST', '/sobjects/Lead', {
          LastName: 'Caller',
          Company: 'One',
          Email: 'caller@example.com',
        }),
      );
      const second = await api('POST', '/sobjects/Lead', {
        LastName: 'Other',
        Company: 'Two',
        Email: 'Caller@Example.com',
      });
      expect(second.status).toBe(400);
      expect(second.body).toEqual(duplicatesDetected('Lead', [first]));
    });

    it('blocks a Lead with the first name, last name and company of another Lead', async () => {
      const seeded = (await stored('Lead')).find((l) => l.LastName === 'Lead');
      const response = await api('POST', '/sobjects/Lead', {
        FirstName: 'lena',
        LastName: 'LEAD',
        Company: 'Umbrella Inc',
      });
      expect(response.body).toEqual(duplicatesDetected('Lead', [seeded?.Id ?? '']));
      // a blank first name never matches, and a converted lead is never offered
      expect(
        (await api('POST', '/sobjects/Lead', { LastName: 'Lead', Company: 'Umbrella Inc' })).status,
      ).toBe(201);
      const converted = await api('POST', '/sobjects/Lead', {
        FirstName: 'Carla',
        LastName: 'Converted',
        Company: 'Initech',
      });
      expect(converted.status).toBe(201);
    });

    it('blocks Contacts by e-mail or by name and account, and Accounts by name and phone digits or website', async () => {
      const jane = (await stored('Contact')).find((c) => c.Email === 'jane.doe@acme.example');
      const byEmail = await api('POST', '/sobjects/Contact', {
        LastName: 'Else',
        Email: 'JANE.DOE@acme.example',
      });
      expect(byEmail.body).toEqual(duplicatesDetected('Contact', [jane?.Id ?? '']));
      const byName = await api('POST', '/sobjects/Contact', {
        FirstName: 'Jane',
        LastName: 'Doe',
        AccountId: jane?.AccountId,
      });
      expect(byName.body).toEqual(duplicatesDetected('Contact', [jane?.Id ?? '']));
      expect((await api('POST', '/sobjects/Contact', { FirstName: 'Jane', LastName: 'Doe' })).status).toBe(
        201,
      );

      const acme = (await stored('Account')).find((a) => a.Name === 'Acme Corporation');
      const byPhone = await api('POST', '/sobjects/Account', {
        Name: 'ACME Corporation',
        Phone: '415-555-1212',
      });
      expect(byPhone.body).toEqual(duplicatesDetected('Account', [acme?.Id ?? '']));
      expect((await api('POST', '/sobjects/Account', { Name: 'Acme Corporation' })).status).toBe(201);
      const site = idOf(
        await api('POST', '/sobjects/Account', { Name: 'Site Co', Website: 'https://site.example' }),
      );
      const bySite = await api('POST', '/sobjects/Account', {
        Name: 'site co',
        Website: 'HTTPS://site.example',
      });
      expect(bySite.body).toEqual(duplicatesDetected('Account', [site]));
    });

    it('checks updates too, but a record never matches itself', async () => {
      const a = idOf(
        await api('POST', '/sobjects/Lead', { LastName: 'A', Company: 'C', Email: 'a@example.com' }),
      );
      const b = idOf(
        await api('POST', '/sobjects/Lead', { LastName: 'B', Company: 'C', Email: 'b@example.com' }),
      );
      expect(
        (await api('PATCH', `/sobjects/Lead/${a}`, { Email: 'a@example.com', Title: 'Same' })).status,
      ).toBe(204);
      const clash = await api('PATCH', `/sobjects/Lead/${b}`, { Email: 'A@example.com' });
      expect(clash.status).toBe(400);
      expect(clash.body).toEqual(duplicatesDetected('Lead', [a]));
    });

    it('lets the save through with Sforce-Duplicate-Rule-Header allowSave=true (any spacing or case)', async () => {
      const body = { LastName: 'Twin', Company: 'C', Email: 'twin@example.com' };
      expect((await api('POST', '/sobjects/Lead', body)).status).toBe(201);
      for (const header of [
        'allowSave=true',
        ' AllowSave = TRUE ; includeRecordDetails=false',
        'runAsCurrentUser=true;allowSave=true',
      ]) {
        const response = await api('POST', '/sobjects/Lead', body, {
          'Sforce-Duplicate-Rule-Header': header,
        });
        expect([header, response.status]).toEqual([header, 201]);
      }
      const refused = await api('POST', '/sobjects/Lead', body, {
        'Sforce-Duplicate-Rule-Header': 'allowSave=false',
      });
      expect(refused.status).toBe(400);
    });

    it('answers in the REST envelope inside /composite and as a SaveResult in sObject Collections', async () => {
      const lead = { LastName: 'Dup', Company: 'C', Email: 'dup@example.com' };
      const first = idOf(await api('POST', '/sobjects/Lead', lead));
      const composite = await api('POST', '/composite', {
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/Lead`, referenceId: 'blocked', body: lead },
          {
            method: 'POST',
            url: `${V}/sobjects/Lead`,
            referenceId: 'allowed',
            body: lead,
            httpHeaders: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
          },
        ],
      });
      const [blocked, allowed] = (
        composite.body as { compositeResponse: { httpStatusCode: number; body: unknown }[] }
      ).compositeResponse;
      expect(blocked).toMatchObject({ httpStatusCode: 400, body: duplicatesDetected('Lead', [first]) });
      expect(allowed.httpStatusCode).toBe(201);

      const collection = await api('POST', '/composite/sobjects', {
        records: [
          { attributes: { type: 'Lead' }, ...lead, Email: 'other@example.com' },
          { attributes: { type: 'Lead' }, ...lead },
        ],
      });
      expect(collection.status).toBe(200);
      expect(collection.body).toEqual([
        { id: expect.stringMatching(/^00Q/), success: true, errors: [] },
        {
          success: false,
          errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }],
        },
      ]);
    });

    it('can be switched off per org through the control API, like an admin deactivating the rules', async () => {
      const lead = { LastName: 'Off', Company: 'C', Email: 'off@example.com' };
      await api('POST', '/sobjects/Lead', lead);
      const settings = await control(sandbox.demo.instanceUrl, 'PUT', '/settings', { duplicateRules: false });
      expect(settings.body).toEqual([
        { org: 'demo', settings: expect.objectContaining({ duplicateRules: false }) },
      ]);
      expect((await api('POST', '/sobjects/Lead', lead)).status).toBe(201);
    });
  });

  describe('startSandboxOrg settings', () => {
    it('starts with the duplicate rules off when asked', async () => {
      const relaxed = await startSandboxOrg({ settings: { duplicateRules: false } });
      try {
        const relaxedApi = dataApi(relaxed, (await demoToken(relaxed)).access_token);
        const lead = { LastName: 'Twice', Company: 'C', Email: 'twice@example.com' };
        expect((await relaxedApi('POST', '/sobjects/Lead', lead)).status).toBe(201);
        expect((await relaxedApi('POST', '/sobjects/Lead', lead)).status).toBe(201);
      } finally {
        await relaxed.close();
      }
    });
  });
});
