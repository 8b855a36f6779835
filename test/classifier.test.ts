/**
 * The learned topic classifier inside Loket: messages without a topic get the model's topic;
 * an agent's reclassification reaches another process (a ROLE=worker Loket of its own) as a
 * changed prediction; unsure guesses become `overig`, marked for a person; the admin can undo
 * a correction; without its training set Loket still routes, by keywords, and logs why.
 * Real: HTTP with sessions, PostgreSQL, Redis, a second Loket process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { features } from '../src/classifier/features.js';
import { predict } from '../src/classifier/model.js';
import { DEFAULT_CONFIDENCE_THRESHOLD, trainTopicModel } from '../src/classifier/topic-classifier.js';
import { baseSet } from '../src/classifier/training-set.js';
import { capturingLogger, postWebform, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs, type Session } from './support/session.js';
import { waitFor } from './support/wait.js';
import { startWorkerOf, type LoketProcess } from './support/worker-process.js';

const caseOf = async (loket: TestLoket, reference: string) =>
  waitFor(async () => {
    const [row] = await loket.db!.query<{ topic: string; attention: string | null }>(`select topic, attention from cases where reference = $1`, [reference]);
    return row;
  }, `case ${reference}`);

const post = (loket: TestLoket, session: Session, path: string, fields: Record<string, string>) => postAs(loket.url, session, path, fields);

describe('learning from agents, across processes', () => {
  let web: TestLoket;
  let worker: LoketProcess;
  let anna: Session;
  let admin: Session;

  beforeAll(async () => {
    web = await startTestLoket({ ROLE: 'web', CLASSIFIER_REFRESH_SECONDS: '1', LOGIN_RATE_LIMIT: '1000', WEBFORM_RATE_LIMIT_MAX: '1000' });
    worker = startWorkerOf(web, { CLASSIFIER_REFRESH_SECONDS: '1' });
    await createUser(web.database.db, { email: 'anna@example.org', name: 'Anna Agent', role: 'agent', password: PASSWORD });
    await createUser(web.database.db, { email: 'beheer@example.org', name: 'Beheer', role: 'admin', password: PASSWORD });
    anna = await loginAs(web.url, 'anna@example.org');
    admin = await loginAs(web.url, 'beheer@example.org');
  }, 60_000);

  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await web?.stop();
  });

  it("routes by the model, and after an agent's correction the other process routes the same question to the corrected topic", async () => {
    const question = 'Vraag over de vergoeding op mijn strook';
    // What the base set alone says, and what it says with the correction: the test relies on a change.
    const base = baseSet();
    const [best] = predict(trainTopicModel(base), features({ subject: 'Strook', text: question }));
    expect(best!.probability, 'the base model is sure enough to route by it').toBeGreaterThan(DEFAULT_CONFIDENCE_THRESHOLD);
    const before = best!.label;
    const corrected = before === 'salaris' ? 'declaraties' : 'salaris';
    const after = predict(
      trainTopicModel(base, [{ subject: 'Strook', text: question, locale: 'nl', topic: corrected }]),
      features({ subject: 'Strook', text: question }),
    );
    expect(after[0]!.label, 'the correction changes the prediction').toBe(corrected);

    const send = (n: number) => postWebform(web.url, { name: `Burger ${n}`, email: `burger${n}@example.org`, subject: 'Strook', message: question });
    const first = await send(1);
    expect((await caseOf(web, first)).topic, 'the worker process routed by the base model').toBe(before);

    expect((await post(web, anna, `/werkplek/zaken/${first}/onderwerp`, { topic: corrected })).status).toBe(303);
    const [correction] = await web.db!.query<{ from_topic: string; to_topic: string; text: string }>(
      `select from_topic, to_topic, text from topic_corrections`,
    );
    expect(correction).toMatchObject({ from_topic: before, to_topic: corrected, text: question });

    // Within the refresh interval (1 s here, 30 s by default) the worker trains again.
    let n = 2;
    await waitFor(async () => (await caseOf(web, await send(n++))).topic === corrected, 'the worker to route the question to the corrected topic', 20_000, 500);

    // The admin sees the correction and undoes it: the worker goes back to the base model's topic.
    const page = await (await fetch(`${web.url}/admin/herkenning/correcties`, { headers: { cookie: admin.cookie } })).text();
    const id = /data-correction="(\d+)"/.exec(page)![1]!;
    expect(page).toMatch(/Getraind op .* met \d+ voorbeeldvragen en 1 correcties/);
    expect((await post(web, admin, `/admin/herkenning/correcties/${id}/ongedaan`, {})).status).toBe(303);
    await waitFor(async () => (await caseOf(web, await send(n++))).topic === before, 'the worker to drop the undone correction', 20_000, 500);
    const [audited] = await web.db!.query<{ actor: string }>(`select actor from audit where action = 'classify.correction-undone'`);
    expect(audited?.actor).toBe('Beheer');
  }, 90_000);

  it('gives a question it is unsure of the topic overig and marks its case for a person, who chooses the topic', async () => {
    await web.db!.query(`insert into settings (key, value) values ('classify.confidence', '{"threshold": 0.999}'::jsonb)`);
    try {
      // The settings cache holds a value for up to two seconds.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const reference = await postWebform(web.url, { name: 'Twijfel', email: 'twijfel@example.org', subject: 'Vraag', message: 'Ik heb een vraag over iets.' });
      expect(await caseOf(web, reference)).toEqual({ topic: 'overig', attention: 'topic-unsure' });
      const list = await (await fetch(`${web.url}/werkplek/zaken?view=all`, { headers: { cookie: anna.cookie } })).text();
      expect(list).toContain('Onderwerp niet zeker herkend: kies het onderwerp');
      expect((await post(web, anna, `/werkplek/zaken/${reference}/onderwerp`, { topic: 'verlof' })).status).toBe(303);
      expect(await caseOf(web, reference)).toEqual({ topic: 'verlof', attention: null });
    } finally {
      await web.db!.query(`delete from settings where key = 'classify.confidence'`);
    }
  });
});

describe('without its training set', () => {
  it('still routes, by the topics keywords and then overig, and says so in the log', async () => {
    const { log, lines } = capturingLogger();
    const loket = await startTestLoket({ CLASSIFIER_TRAINING_DIR: '/nonexistent/training' }, { log });
    try {
      const salary = await postWebform(loket.url, { name: 'A', email: 'a@example.org', subject: 'Loonstrook', message: 'Mijn salaris is te laag uitbetaald.' });
      const other = await postWebform(loket.url, { name: 'B', email: 'b@example.org', subject: 'Hallo', message: 'Zomaar iets.' });
      expect((await caseOf(loket, salary)).topic).toBe('salaris');
      expect(await caseOf(loket, other)).toEqual({ topic: 'overig', attention: null });
      const logged = lines.find((line) => line['msg'] === 'topic classifier could not be trained; classifying by keywords');
      expect(logged?.['level']).toBe(50);
    } finally {
      await loket.stop();
    }
  });
});
