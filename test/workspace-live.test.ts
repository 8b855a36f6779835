/**
 * Live updates of the workspace across processes: a web process (this one, ROLE=web) serves
 * the event stream; a worker process of its own (ROLE=worker) routes the messages. Real:
 * PostgreSQL (a database of its own), Redis (queues and the pub/sub between the two
 * processes), BullMQ workers, HTTP with sessions and CSRF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { MAX_STREAMS_PER_SESSION } from '../src/workspace/live.routes.js';
import { postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, type Session } from './support/session.js';
import { sleep, waitFor } from './support/wait.js';
import { startWorkerOf, type LoketProcess } from './support/worker-process.js';
import { listen as listenTo, type LiveStream } from './support/live-stream.js';

let web: TestLoket;
let worker: LoketProcess;
let anna: Session;
let bram: Session;
const streams: LiveStream[] = [];

/** GET /werkplek/live on the web process; closed after the tests. */
async function listen(headers: Record<string, string> = {}): Promise<LiveStream> {
  const stream = await listenTo(web.url, headers);
  streams.push(stream);
  return stream;
}

/** The count once it has not changed for `quietMs`: what was under way has been heard. */
async function settled(count: () => number, quietMs: number): Promise<number> {
  for (;;) {
    const now = count();
    await sleep(quietMs);
    if (count() === now) return now;
  }
}

const changesOf = (stream: LiveStream) => stream.events.filter((e) => e.event === 'case:changed').map((e) => e.data as { caseId: number; reference: string });

const caseIdOf = async (reference: string) =>
  waitFor(async () => {
    const [row] = await web.db!.query<{ id: string }>('select id from cases where reference = $1', [reference]);
    return row && Number(row.id);
  }, `case ${reference}`);

const postForm = (subject: string) =>
  postWebform(web.url, { name: 'Sanne de Wit', email: 'sanne@example.org', subject, message: 'Wanneer wordt mijn reiskostenvergoeding uitbetaald?' });

beforeAll(async () => {
  web = await startTestLoket({ ROLE: 'web', LOGIN_RATE_LIMIT: '1000' });
  worker = startWorkerOf(web);
  const { db } = web.database;
  await createUser(db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
  await createUser(db, { email: 'bram@example.org', name: 'Bram Agent', role: 'agent', password: PASSWORD });
  anna = await loginAs(web.url, 'anna@example.org');
  bram = await loginAs(web.url, 'bram@example.org');
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await worker?.kill('SIGTERM');
  await web?.stop();
});

describe('the workspace event stream', () => {
  it('refuses a client without a session, and one with a made-up session', async () => {
    const anonymous = await listen();
    expect(anonymous.status).toBe(401);
    expect(anonymous.contentType).not.toContain('text/event-stream');
    const forged = await listen({ cookie: 'loket_session=verzonnen' });
    expect(forged.status).toBe(401);
  });

  it('tells a signed-in agent case:changed when a form message is routed by a worker process', async () => {
    const stream = await listen({ cookie: anna.cookie });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const reference = await postForm('Reiskosten');
    const change = await waitFor(async () => changesOf(stream).find((c) => c.reference === reference), `case:changed for ${reference}`, 30_000).catch(
      (err: unknown) => {
        throw new Error(`${String(err)}\nworker output:\n${worker.output()}`);
      },
    );
    expect(change.caseId).toBe(await caseIdOf(reference));
  });

  it('tells the other agents when an agent adds a note to a case', async () => {
    const bramHears = await listen({ cookie: bram.cookie });
    expect(bramHears.status).toBe(200);
    const reference = await postForm('Declaratie');
    const caseId = await caseIdOf(reference);
    const heard = () => changesOf(bramHears).filter((c) => c.caseId === caseId).length;
    // The worker tells about this case itself (routed, acknowledgement sent): that must be
    // heard and over before the note, or it would pass for the note's event.
    await waitFor(
      async () => (await web.db!.query(`select 1 from outbox where case_id = $1 and status = 'sent'`, [caseId])).length > 0,
      `the acknowledgement of ${reference}`,
      30_000,
    );
    await waitFor(async () => heard() > 0, `the worker's case:changed for ${reference}`, 10_000);
    const before = await settled(heard, 750);

    const response = await fetch(`${web.url}/werkplek/zaken/${reference}/notitie`, {
      method: 'POST',
      headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: anna.csrfToken, text: 'Teruggebeld, loopt.' }),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    await waitFor(async () => heard() > before, `case:changed for the note on ${reference}`, 10_000);
    expect(
      changesOf(bramHears)
        .filter((c) => c.caseId === caseId)
        .at(-1)?.reference,
    ).toBe(reference);
  });

  it('one session holds at most MAX_STREAMS_PER_SESSION streams; one more is refused with 429, another session is not', async () => {
    const carla = await loginAs(web.url, 'anna@example.org');
    const open = await Promise.all(Array.from({ length: MAX_STREAMS_PER_SESSION }, () => listen({ cookie: carla.cookie })));
    expect(open.map((s) => s.status)).toEqual(open.map(() => 200));
    const refused = await listen({ cookie: carla.cookie });
    expect(refused.status).toBe(429);
    expect((await listen({ cookie: anna.cookie })).status).toBe(200);
    // A closed stream makes room again.
    open[0]!.close();
    await waitFor(
      async () => {
        const again = await listen({ cookie: carla.cookie });
        again.close();
        return again.status === 200;
      },
      'room for a stream after one closed',
      5_000,
    );
  });
});
