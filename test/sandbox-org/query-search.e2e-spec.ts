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
interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Row[];
}

/** salesforce-rest.md §4: SOQL paging, SOSL by phone with index lag, parameterized search. */
describe('sandbox org query and search', () => {
  let sandbox: SandboxOrg;
  let api: Api;
  let conn: Connection;
  let accessToken: string;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    const token = await demoToken(sandbox);
    accessToken = token.access_token;
    api = dataApi(sandbox, accessToken);
    conn = new Connection({ instanceUrl: token.instance_url, accessToken, version: API_VERSION });
  });

  const searchIds = async (sosl: string) =>
    (
      (await api('GET', `/search?q=${encodeURIComponent(sosl)}`)).body as { searchRecords: Row[] }
    ).searchRecords.map((r) => r.Name);

  describe('SOQL', () => {
    it('pages with nextRecordsUrl honouring Sforce-Query-Options batchSize', async () => {
      for (let batch = 0; batch < 3; batch++) {
        const records = Array.from({ length: 150 }, (_, i) => ({
          attributes: { type: 'Lead' },
          LastName: `L${batch}-${i}`,
          Company: 'Bulk',
        }));
        await api('POST', '/composite/sobjects', { records });
      }
      const soql = encodeURIComponent("SELECT Id, LastName FROM Lead WHERE Company = 'Bulk'");
      const first = (
        await api('GET', `/query?q=${soql}`, undefined, { 'Sforce-Query-Options': 'batchSize=200' })
      ).body as QueryPage;
      expect(first).toMatchObject({ totalSize: 450, done: false });
      expect(first.records).toHaveLength(200);
      expect(first.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${API_VERSION}/query/01g\\w+-200$`));
      const second = (
        await rawRequest(`${sandbox.demo.instanceUrl}${first.nextRecordsUrl}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).body as QueryPage;
      const third = (
        await rawRequest(`${sandbox.demo.instanceUrl}${second.nextRecordsUrl}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).body as QueryPage;
      expect([second.records.length, third.records.length, third.done]).toEqual([200, 50, true]);
      expect(third.nextRecordsUrl).toBeUndefined();
      const all = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 1000 });
      expect(all.totalSize).toBeGreaterThan(450);
    });

    it('answers a bad locator with INVALID_QUERY_LOCATOR and bad SOQL with the engine’s 400', async () => {
      const locator = await api('GET', '/query/01gXXXXXXXXXXXXXXX-2000');
      expect(locator.status).toBe(400);
      expect(locator.body).toEqual([
        { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
      ]);
      const malformed = await api('GET', `/query?q=${encodeURIComponent('SELEKT Id FROM Account')}`);
      expect(malformed.status).toBe(400);
      expect((malformed.body as { errorCode: string }[])[0].errorCode).toBe('MALFORMED_QUERY');
      const unknown = await api('GET', `/query?q=${encodeURIComponent('SELECT Bacon__c FROM Account')}`);
      expect((unknown.body as { errorCode: string }[])[0].errorCode).toBe('INVALID_FIELD');
    });

    it('serves relationship fields and queryAll', async () => {
      const result = await conn.query<Row & { Account: { Name: string } }>(
        "SELECT Name, Account.Name FROM Contact WHERE LastName = 'Doe'",
      );
      expect(result.records[0].Account.Name).toBe('Acme Corporation');
      const all = (await api('GET', `/queryAll?q=${encodeURIComponent('SELECT Id FROM Account')}`))
        .body as QueryPage;
      expect(all.done).toBe(true);
    });
  });

  describe('SOSL and parameterized search', () => {
    it('finds seeded records by phone whatever format they were stored in', async () => {
      const names = await searchIds(
        'FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Id,Name), Account(Id,Name)',
      );
      expect(names).toEqual(expect.arrayContaining(['Jane Doe', 'Acme Corporation']));
      expect(
        await searchIds('FIND {4155551313} IN PHONE FIELDS RETURNING Contact(Id,Name), Lead(Id,Name)'),
      ).toEqual(expect.arrayContaining(['John Smith', 'Mark Prospect']));
      expect(await searchIds('FIND {4155551414} IN PHONE FIELDS RETURNING Account(Id,Name)')).toEqual([
        'Initech',
      ]);
      expect(await searchIds('FIND {4155551515} IN PHONE FIELDS RETURNING Lead(Id,Name)')).toEqual([
        'Lena Lead',
      ]);
      expect(await searchIds('FIND {442079460018} IN PHONE FIELDS RETURNING Contact(Id,Name)')).toEqual([
        'Nigel Thornberry',
      ]);
    });

    it('hides fresh records from search until the index lag passes (SOQL sees them at once)', async () => {
      await conn.sobject('Contact').create({ LastName: 'Fresh', Phone: '(212) 555-0199' });
      const sosl = 'FIND {2125550199} IN PHONE FIELDS RETURNING Contact(Id,Name)';
      expect(await searchIds(sosl)).toEqual([]);
      const soql = await conn.query("SELECT Id FROM Contact WHERE Phone = '(212) 555-0199'");
      expect(soql.totalSize).toBe(1);
      await control(sandbox.demo.instanceUrl, 'PUT', '/settings', { searchIndexLagMs: 0 });
      expect(await searchIds(sosl)).toEqual(['Fresh']);
    });

    it('answers a search without braces with MALFORMED_SEARCH', async () => {
      const response = await api('GET', `/search?q=${encodeURIComponent('FIND 4155551212')}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual([
        {
          message: 'No search term found. The search term must be enclosed in braces.',
          errorCode: 'MALFORMED_SEARCH',
        },
      ]);
    });

    it('serves parameterizedSearch by GET and POST', async () => {
      const get = await api(
        'GET',
        '/parameterizedSearch?q=4155551212&in=PHONE&sobject=Contact&Contact.fields=Id,Name&sobject=Account&Account.fields=Id,Name',
      );
      expect((get.body as { searchRecords: Row[] }).searchRecords.map((r) => r.Name)).toEqual(
        expect.arrayContaining(['Jane Doe', 'Acme Corporation']),
      );
      const post = await api('POST', '/parameterizedSearch', {
        q: '4155551515',
        in: 'PHONE',
        sobjects: [{ name: 'Lead', fields: ['Id', 'Name'] }],
      });
      expect((post.body as { searchRecords: Row[] }).searchRecords.map((r) => r.Name)).toEqual(['Lena Lead']);
    });
  });
});
