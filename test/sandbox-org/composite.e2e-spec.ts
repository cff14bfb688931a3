import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { API_VERSION, control, dataApi, demoToken } from '../../sandbox-org/testing/sandbox-test-client';

type Api = ReturnType<typeof dataApi>;
type Row = Record<string, unknown> & { Id: string };
interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const V = `/services/data/v${API_VERSION}`;
const ROLLED_BACK = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

/** salesforce-rest.md §5.1 (composite) and §5.2 (sObject Collections). */
describe('sandbox org composite and collections', () => {
  let sandbox: SandboxOrg;
  let api: Api;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    api = dataApi(sandbox, (await demoToken(sandbox)).access_token);
  });

  const stored = async (object: string) =>
    (await control(sandbox.demo.instanceUrl, 'GET', `/records/${object}`)).body as Row[];
  const composite = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await api('POST', '/composite', body, headers);
    return {
      ...response,
      subresponses: (response.body as { compositeResponse?: SubResponse[] }).compositeResponse ?? [],
    };
  };
  const apiUsage = async () =>
    Number(/api-usage=(\d+)/.exec((await api('GET', '/limits')).headers.get('sforce-limit-info') ?? '')?.[1]);

  it('resolves @{ref.id}, @{ref.records[0].Id} and nested references; counts as one API request', async () => {
    const before = await apiUsage();
    const response = await composite({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Account`,
          referenceId: 'refAccount',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'refContact',
          body: { LastName: 'Ref', AccountId: '@{refAccount.id}' },
        },
        {
          method: 'GET',
          url: `${V}/query?q=SELECT+Id,Name+FROM+Account+WHERE+Name='Composite Co'`,
          referenceId: 'q',
        },
        { method: 'GET', url: `${V}/sobjects/Account/@{q.records[0].Id}`, referenceId: 'acct' },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Contact/@{refContact.id}`,
          referenceId: 'patch',
          body: { Title: '@{acct.attributes.type}' },
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.subresponses.map((s) => s.httpStatusCode)).toEqual([201, 201, 200, 200, 204]);
    const [account, contact, , , patch] = response.subresponses;
    const accountId = (account.body as { id: string }).id;
    expect(account.httpHeaders).toEqual({ Location: `${V}/sobjects/Account/${accountId}` });
    expect(patch).toEqual({ body: null, httpHeaders: {}, httpStatusCode: 204, referenceId: 'patch' });
    const storedContact = (await stored('Contact')).find((c) => c.Id === (contact.body as { id: string }).id);
    expect(storedContact).toMatchObject({ AccountId: accountId, Title: 'Account' });
    expect(await apiUsage()).toBe(before + 2);
  });

  it('allOrNone=true: keeps the real error, halts the others, persists nothing', async () => {
    const accountsBefore = (await stored('Account')).length;
    const response = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a1', body: { Name: 'Rolled back' } },
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a2', body: { XName: 'bad' } },
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a3', body: { Name: 'Never run' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.subresponses).toEqual([
      { body: ROLLED_BACK, httpHeaders: {}, httpStatusCode: 400, referenceId: 'a1' },
      {
        body: [{ message: "No such column 'XName' on sobject of type Account", errorCode: 'INVALID_FIELD' }],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: 'a2',
      },
      { body: ROLLED_BACK, httpHeaders: {}, httpStatusCode: 400, referenceId: 'a3' },
    ]);
    expect((await stored('Account')).length).toBe(accountsBefore);
  });

  it('allOrNone=false: independent subrequests commit, dependents fail with an invalid reference', async () => {
    const response = await composite({
      allOrNone: false,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'refContact',
          body: { FirstName: 'No last name' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Account`,
          referenceId: 'independent',
          body: { Name: 'Committed' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Task`,
          referenceId: 'dependent',
          body: { Subject: 'Call', WhoId: '@{refContact.id}' },
        },
      ],
    });
    expect(response.subresponses.map((s) => s.httpStatusCode)).toEqual([400, 201, 400]);
    expect(response.subresponses[2].body).toEqual([
      {
        errorCode: 'PROCESSING_HALTED',
        message:
          "Invalid reference specified. No value for refContact.id found in refContact. Provided referenceId ('refContact.id') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').",
      },
    ]);
    expect((await stored('Account')).some((a) => a.Name === 'Committed')).toBe(true);
  });

  it('honours per-subrequest Sforce-Auto-Assign', async () => {
    const response = await composite({
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Lead`,
          referenceId: 'routed',
          body: { LastName: 'R', Company: 'C' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Lead`,
          referenceId: 'kept',
          body: { LastName: 'K', Company: 'C' },
          httpHeaders: { 'Sforce-Auto-Assign': 'FALSE' },
        },
      ],
    });
    const [routed, kept] = response.subresponses.map((s) => (s.body as { id: string }).id);
    const leads = new Map((await stored('Lead')).map((l) => [l.Id, l.OwnerId]));
    expect(leads.get(routed)).not.toBe(leads.get(kept));
  });

  it.each([
    [
      'more than 25 subrequests',
      Array.from({ length: 26 }, (_, i) => ({
        method: 'GET',
        url: `${V}/sobjects/Account/describe`,
        referenceId: `r${i}`,
      })),
    ],
    [
      'more than 5 queries',
      Array.from({ length: 6 }, (_, i) => ({
        method: 'GET',
        url: `${V}/query?q=SELECT+Id+FROM+Account`,
        referenceId: `q${i}`,
      })),
    ],
    [
      'a forbidden header',
      [
        {
          method: 'GET',
          url: `${V}/sobjects/Account/describe`,
          referenceId: 'h',
          httpHeaders: { 'Content-Type': 'text/plain' },
        },
      ],
    ],
    ['a bad referenceId', [{ method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: 'bad-id' }]],
  ])('rejects %s with a top-level 400', async (_, compositeRequest) => {
    const response = await api('POST', '/composite', { compositeRequest });
    expect(response.status).toBe(400);
    expect(response.body).toEqual([{ message: expect.any(String), errorCode: expect.any(String) }]);
  });

  describe('subrequest targets (§5.1, §4.4)', () => {
    it.each([
      ['SOSL search', `${V}/search?q=${encodeURIComponent('FIND {4155551212} IN PHONE FIELDS')}`],
      ['parameterized search', `${V}/parameterizedSearch?q=4155551212&sobject=Contact`],
      ['Chatter', `${V}/chatter/feed-elements`],
      ['limits', `${V}/limits`],
      ['a nested composite', `${V}/composite`],
      ['an sObject tree', `${V}/composite/tree/Account`],
      ['a batch', `${V}/composite/batch`],
      ['an action', `${V}/actions/standard/emailSimple`],
    ])('refuses the whole request when a subrequest targets %s', async (_, url) => {
      const accountsBefore = (await stored('Account')).length;
      const response = await api('POST', '/composite', {
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'first', body: { Name: 'Never' } },
          { method: 'GET', url, referenceId: 'refused' },
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual([
        {
          errorCode: 'INVALID_INPUT',
          message: `Composite subrequests support only sObject, Query, QueryAll and sObject Collections resources: ${url}`,
        },
      ]);
      expect((await stored('Account')).length).toBe(accountsBefore);
    });

    it('accepts sObject, query, queryAll, query-more and sObject Collections subrequests', async () => {
      const leads = (from: number) =>
        Array.from({ length: 150 }, (_, i) => ({
          attributes: { type: 'Lead' },
          LastName: `Page ${from + i}`,
          Company: 'Paged',
        }));
      const response = await composite(
        {
          compositeRequest: [
            {
              method: 'POST',
              url: `${V}/composite/sobjects`,
              referenceId: 'first',
              body: { records: leads(0) },
            },
            {
              method: 'POST',
              url: `${V}/composite/sobjects`,
              referenceId: 'second',
              body: { records: leads(150) },
            },
            {
              method: 'GET',
              url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Company = 'Paged'")}`,
              referenceId: 'page1',
            },
            { method: 'GET', url: '@{page1.nextRecordsUrl}', referenceId: 'page2' },
            {
              method: 'GET',
              url: `${V}/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`,
              referenceId: 'all',
            },
            { method: 'GET', url: `${V}/sobjects/Lead/describe`, referenceId: 'describe' },
          ],
        },
        { 'Sforce-Query-Options': 'batchSize=200' },
      );
      expect(response.status).toBe(200);
      expect(response.subresponses.map((s) => [s.referenceId, s.httpStatusCode])).toEqual([
        ['first', 200],
        ['second', 200],
        ['page1', 200],
        ['page2', 200],
        ['all', 200],
        ['describe', 200],
      ]);
      expect(response.subresponses[3].body).toMatchObject({ totalSize: 300, done: true });
      expect((response.subresponses[3].body as { records: unknown[] }).records).toHaveLength(100);
    });

    it('refuses a graph node that is not an sObject resource the same way', async () => {
      const url = `${V}/query?q=SELECT+Id+FROM+Account`;
      const response = await api('POST', '/composite/graph', {
        graphs: [{ graphId: 'g', compositeRequest: [{ method: 'GET', url, referenceId: 'q' }] }],
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual([
        { errorCode: 'INVALID_INPUT', message: `Graph nodes support only sObject resources: ${url}` },
      ]);
    });
  });

  describe('/composite/batch (§5.5)', () => {
    interface BatchBody {
      hasErrors: boolean;
      results: { statusCode: number; result: unknown }[];
    }
    const batch = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await api('POST', '/composite/batch', body, headers);
      return { ...response, batch: response.body as BatchBody };
    };

    it('runs independent subrequests, search and limits included, each one API call', async () => {
      const before = await apiUsage();
      const acme = (await stored('Account')).find((a) => a.Name === 'Acme Corporation');
      const response = await batch({
        batchRequests: [
          { method: 'GET', url: `v${API_VERSION}/sobjects/Account/${acme?.Id}?fields=Name` },
          {
            method: 'GET',
            url: `v${API_VERSION}/search?q=${encodeURIComponent('FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Id)')}`,
          },
          { method: 'GET', url: `/services/data/v${API_VERSION}/limits` },
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'Batch Co' } },
          {
            method: 'PATCH',
            url: `v${API_VERSION}/sobjects/Account/${acme?.Id}`,
            richInput: { Rating: 'Hot' },
          },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.batch.hasErrors).toBe(false);
      expect(response.batch.results.map((r) => r.statusCode)).toEqual([200, 200, 200, 201, 204]);
      expect(response.batch.results[0].result).toMatchObject({ Name: 'Acme Corporation' });
      expect(response.batch.results[1].result).toHaveProperty('searchRecords');
      expect(response.batch.results[3].result).toEqual({
        id: expect.stringMatching(/^001/),
        success: true,
        errors: [],
      });
      expect(response.batch.results[4].result).toBeNull();
      // five subrequests cost five calls; the /limits read after them one more
      expect(await apiUsage()).toBe(before + 1 + 5);
    });

    it('answers 403 REQUEST_LIMIT_EXCEEDED for the subrequests past the daily allowance', async () => {
      await control(sandbox.demo.instanceUrl, 'PUT', '/limits', { max: 10, used: 8 });
      const response = await batch({
        batchRequests: Array.from({ length: 3 }, () => ({ method: 'GET', url: `v${API_VERSION}/limits` })),
      });
      expect(response.batch.results.map((r) => r.statusCode)).toEqual([200, 200, 403]);
      expect(response.batch.results[2].result).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    });

    it('reports failures per subrequest and keeps the others (hasErrors, no rollback)', async () => {
      const response = await batch({
        batchRequests: [
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Nope: 1 } },
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'Kept' } },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.batch).toEqual({
        hasErrors: true,
        results: [
          {
            statusCode: 400,
            result: [
              { message: "No such column 'Nope' on sobject of type Account", errorCode: 'INVALID_FIELD' },
            ],
          },
          { statusCode: 201, result: { id: expect.any(String), success: true, errors: [] } },
        ],
      });
      expect((await stored('Account')).some((a) => a.Name === 'Kept')).toBe(true);
    });

    it('with haltOnError answers 412 BATCH_PROCESSING_HALTED after the first failure', async () => {
      const response = await batch({
        haltOnError: true,
        batchRequests: [
          { method: 'GET', url: `v${API_VERSION}/limits` },
          { method: 'GET', url: `v${API_VERSION}/sobjects/Account/001000000000000AAA` },
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'Halted' } },
        ],
      });
      expect(response.batch.hasErrors).toBe(true);
      expect(response.batch.results.map((r) => r.statusCode)).toEqual([200, 404, 412]);
      expect(response.batch.results[2].result).toEqual([
        { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' },
      ]);
      expect((await stored('Account')).some((a) => a.Name === 'Halted')).toBe(false);
    });

    it('takes no references, so @{…} stays literal', async () => {
      const response = await batch({
        batchRequests: [{ method: 'GET', url: `v${API_VERSION}/sobjects/Account/@{first.id}` }],
      });
      expect(response.batch.results[0].statusCode).toBe(400);
      expect((response.batch.results[0].result as { errorCode: string }[])[0].errorCode).toBe('MALFORMED_ID');
    });

    it.each([
      [
        'more than 25 subrequests',
        Array.from({ length: 26 }, () => ({ method: 'GET', url: `v${API_VERSION}/limits` })),
        'LIMIT_EXCEEDED',
      ],
      ['a composite subrequest', [{ method: 'POST', url: `v${API_VERSION}/composite` }], 'INVALID_INPUT'],
      ['a method it does not know', [{ method: 'HEAD', url: `v${API_VERSION}/limits` }], 'INVALID_INPUT'],
    ])('rejects %s with a top-level 400', async (_, batchRequests, errorCode) => {
      const response = await api('POST', '/composite/batch', { batchRequests });
      expect(response.status).toBe(400);
      expect(response.body).toEqual([{ message: expect.any(String), errorCode }]);
    });

    it('is listed by GET /composite', async () => {
      const response = await api('GET', '/composite');
      expect(response.body).toMatchObject({ batch: `${V}/composite/batch` });
    });
  });

  it('runs composite graphs atomically, each on its own', async () => {
    const response = await api('POST', '/composite/graph', {
      graphs: [
        {
          graphId: 'good',
          compositeRequest: [
            { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acc', body: { Name: 'Graph Co' } },
            {
              method: 'POST',
              url: `${V}/sobjects/Contact`,
              referenceId: 'con',
              body: { LastName: 'G', AccountId: '@{acc.id}' },
            },
          ],
        },
        {
          graphId: 'bad',
          compositeRequest: [
            {
              method: 'POST',
              url: `${V}/sobjects/Account`,
              referenceId: 'acc',
              body: { Name: 'Graph Rollback' },
            },
            {
              method: 'POST',
              url: `${V}/sobjects/Contact`,
              referenceId: 'con',
              body: { FirstName: 'no last name' },
            },
          ],
        },
      ],
    });
    expect(response.status).toBe(200);
    const graphs = (response.body as { graphs: { graphId: string; isSuccessful: boolean }[] }).graphs;
    expect(graphs.map((g) => [g.graphId, g.isSuccessful])).toEqual([
      ['good', true],
      ['bad', false],
    ]);
    const names = (await stored('Account')).map((a) => a.Name);
    expect(names).toContain('Graph Co');
    expect(names).not.toContain('Graph Rollback');
  });

  it('creates an sObject tree (201) or nothing at all (400 hasErrors)', async () => {
    const tree = (lastName?: string) => ({
      records: [
        {
          attributes: { type: 'Account', referenceId: 'ref1' },
          Name: 'Tree Co',
          Contacts: {
            records: [
              {
                attributes: { type: 'Contact', referenceId: 'ref2' },
                ...(lastName && { LastName: lastName }),
              },
            ],
          },
        },
      ],
    });
    const created = await api('POST', '/composite/tree/Account', tree('Leaf'));
    expect(created.status).toBe(201);
    const results = (created.body as { results: { referenceId: string; id: string }[] }).results;
    expect(results.map((r) => r.referenceId)).toEqual(['ref1', 'ref2']);
    expect((await stored('Contact')).find((c) => c.Id === results[1].id)?.AccountId).toBe(results[0].id);
    const before = (await stored('Account')).length;
    const failed = await api('POST', '/composite/tree/Account', tree());
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({
      hasErrors: true,
      results: [
        {
          referenceId: 'ref2',
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [LastName]',
              fields: ['LastName'],
            },
          ],
        },
      ],
    });
    expect((await stored('Account')).length).toBe(before);
  });

  describe('sObject Collections', () => {
    it('creates with SaveResults and reports statusCode errors per record', async () => {
      const response = await api('POST', '/composite/sobjects', {
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'C1' },
          { attributes: { type: 'Contact' }, FirstName: 'missing last name' },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        { id: expect.stringMatching(/^001/), success: true, errors: [] },
        {
          success: false,
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [LastName]',
              fields: ['LastName'],
            },
          ],
        },
      ]);
    });

    it('rolls every record back with allOrNone', async () => {
      const before = (await stored('Account')).length;
      const response = await api('POST', '/composite/sobjects', {
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'C1' },
          { attributes: { type: 'Account' }, Nope: 1 },
        ],
      });
      expect((response.body as { errors: { statusCode: string }[] }[])[0].errors[0].statusCode).toBe(
        'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      );
      expect((await stored('Account')).length).toBe(before);
    });

    it('updates, upserts, retrieves and deletes', async () => {
      const created = (
        await api('POST', '/composite/sobjects', {
          records: [1, 2].map((n) => ({ attributes: { type: 'Account' }, Name: `Bulk ${n}` })),
        })
      ).body as { id: string }[];
      const ids = created.map((c) => c.id);
      const updated = await api('PATCH', '/composite/sobjects', {
        records: ids.map((id) => ({ attributes: { type: 'Account' }, id, Rating: 'Hot' })),
      });
      expect(updated.body).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
      const upserted = await api('PATCH', '/composite/sobjects/Account/AICall_External_Id__c', {
        records: [
          { attributes: { type: 'Account' }, AICall_External_Id__c: 'acct-acme', Rating: 'Warm' },
          { attributes: { type: 'Account' }, AICall_External_Id__c: 'new-1', Name: 'New' },
        ],
      });
      expect((upserted.body as { created: boolean }[]).map((r) => r.created)).toEqual([false, true]);
      const retrieved = await api('GET', `/composite/sobjects/Account?ids=${ids.join(',')}&fields=Id,Rating`);
      expect((retrieved.body as Row[]).map((r) => r.Rating)).toEqual(['Hot', 'Hot']);
      const deleted = await api('DELETE', `/composite/sobjects?ids=${ids.join(',')}`);
      expect(deleted.body).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
    });
  });
});
