import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '../../src/modules/queue/queue-names';
import { bearer, operator, startTestApp, TEST_OPERATOR_KEY, type TestApp } from '../support/test-app';
import { addTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const WRITES: string = QueueName.SalesforceWrites;

/** A job that really failed (run by a processor here that throws), so "retry" and "clean" have work. */
async function addFailedJob(t: TestApp): Promise<Queue> {
  const queue = t.app.get<Queue>(getQueueToken(WRITES));
  void queue.process('board-check', () => Promise.reject(new Error('failed on purpose')));
  await queue.add('board-check', {}, { jobId: 'board-failed', attempts: 1 });
  await eventually(async () => expect(await (await queue.getJob('board-failed'))?.getState()).toBe('failed'));
  return queue;
}

/** Bull Board at /admin/queues: operator only on every route, read-only unless QUEUE_BOARD_ACTIONS=true. */
describe('Queue board', () => {
  describe('read-only (default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
      await addFailedJob(t);
    });
    afterAll(() => t.close());

    it('refuses every board route without the operator key, with a Basic challenge for browsers', async () => {
      for (const path of [
        '/admin/queues',
        '/admin/queues/',
        '/admin/queues/api/queues',
        '/admin/queues/static/x.js',
      ]) {
        const res = await t.http.get(path).expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
      }
      await t.http.put(`/admin/queues/api/queues/${WRITES}/retry/failed`).expect(401);
    });

    it('refuses tenant keys and a wrong key', async () => {
      const tenant = await addTenant(t);
      await t.http.get('/admin/queues/api/queues').set(tenant.admin).expect(401);
      await t.http
        .get('/admin/queues/api/queues')
        .set(bearer(`${TEST_OPERATOR_KEY}x`))
        .expect(401);
      await t.http.get('/admin/queues/api/queues').set(basic('operator', 'nope')).expect(401);
    });

    it('serves the page and the queues to the operator key, as bearer or as the Basic password', async () => {
      const page = await t.http.get('/admin/queues').set(operator).expect(200);
      expect(page.text).toContain('<html');
      const api = await t.http
        .get('/admin/queues/api/queues')
        .set(basic('anyone', TEST_OPERATOR_KEY))
        .expect(200);
      const queues = (
        api.body as { queues: Array<{ name: string; readOnlyMode: boolean; counts: Record<string, number> }> }
      ).queues;
      expect(queues.map((queue) => queue.name).sort()).toEqual(
        [QueueName.DeadLetter, QueueName.SalesforceWrites].sort(),
      );
      expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
      expect(queues.find((queue) => queue.name === WRITES)?.counts.failed).toBe(1);
    });

    it('refuses retry, clean, empty and add: the failed job stays failed', async () => {
      await t.http.put(`/admin/queues/api/queues/${WRITES}/retry/failed`).set(operator).expect(405);
      await t.http.put(`/admin/queues/api/queues/${WRITES}/clean/failed`).set(operator).expect(405);
      await t.http.put(`/admin/queues/api/queues/${WRITES}/board-failed/clean`).set(operator).expect(405);
      await t.http.put(`/admin/queues/api/queues/${WRITES}/empty`).set(operator).expect(405);
      await t.http
        .post(`/admin/queues/api/queues/${WRITES}/add`)
        .set(operator)
        .send({ name: 'sneaked', data: {} })
        .expect(405);
      const job = await t.app.get<Queue>(getQueueToken(WRITES)).getJob('board-failed');
      expect(await job!.getState()).toBe('failed');
    });
  });

  describe('with QUEUE_BOARD_ACTIONS=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ QUEUE_BOARD_ACTIONS: 'true' });
      await addFailedJob(t);
    });
    afterAll(async () => {
      await t.close();
      delete process.env.QUEUE_BOARD_ACTIONS;
    });

    it('lets the operator remove a failed job', async () => {
      await t.http.put(`/admin/queues/api/queues/${WRITES}/board-failed/clean`).set(operator).expect(204);
      expect(await t.app.get<Queue>(getQueueToken(WRITES)).getJob('board-failed')).toBeNull();
    });

    it('still refuses anyone else', async () => {
      await t.http.put(`/admin/queues/api/queues/${WRITES}/board-failed/clean`).expect(401);
    });
  });

  it('refuses to boot with a QUEUE_BOARD_ACTIONS that is not true or false', async () => {
    await expect(startTestApp({ QUEUE_BOARD_ACTIONS: 'yes' })).rejects.toThrow(
      /QUEUE_BOARD_ACTIONS must be true or false/,
    );
    delete process.env.QUEUE_BOARD_ACTIONS;
  });
});
