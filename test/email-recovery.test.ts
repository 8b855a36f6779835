/**
 * The mail channel when things go wrong. Real: a private Dovecot per test (IMAP with IDLE,
 * LMTP for the acknowledgements), PostgreSQL (a database per test), Redis (a queue prefix
 * per test), Loket in this process and, where a process must die, as a separate OS process.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { outboxMessageId } from '../src/outbox.js';
import { startDovecot, type PrivateDovecot } from './support/dovecot.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { REDIS_URL, uniquePrefix } from './support/prefixes.js';
import { waitFor } from './support/wait.js';
import { citizenMail as mail } from './support/mail.js';
import { startLoketProcess, type LoketProcess } from './support/worker-process.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** Env for a Loket reading dovecot's `loket` mailbox and acknowledging over its LMTP. */
const mailEnv = (dovecot: PrivateDovecot, extra: Record<string, string> = {}): Record<string, string> => ({
  IMAP_URL: dovecot.imapUrl('loket'),
  SMTP_URL: dovecot.lmtpUrl,
  MAIL_FROM: 'Contactcenter <loket@loket.test>',
  AUTO_REPLY_LIMIT: '100000',
  ...extra,
});

async function dovecotForTest(): Promise<PrivateDovecot> {
  const dovecot = await startDovecot();
  cleanups.push(() => dovecot.stop());
  return dovecot;
}

async function databaseForTest(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function loketForTest(env: Record<string, string>, database?: TestDatabase): Promise<TestLoket> {
  const loket = await startTestLoket(env, database ? { database } : {});
  cleanups.push(() => loket.stop());
  return loket;
}

/** Appends many mails over one IMAP connection (one connection per mail is slow). */
async function appendAll(dovecot: PrivateDovecot, raws: string[], user = 'loket'): Promise<void> {
  const client = await dovecot.connect(user);
  try {
    for (const raw of raws) await client.append('INBOX', raw);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

interface Counts {
  messages: number;
  distinct: number;
  outbox: number;
  sent: number;
}

async function counts(db: TestDatabase): Promise<Counts> {
  const [row] = await db.query<{ messages: string; distinct: string; outbox: string; sent: string }>(
    `select (select count(*) from messages where channel = 'email') as messages,
            (select count(distinct external_id) from messages where channel = 'email') as distinct,
            (select count(*) from outbox where kind = 'acknowledgement') as outbox,
            (select count(*) from outbox where kind = 'acknowledgement' and status = 'sent') as sent`,
  );
  return { messages: Number(row!.messages), distinct: Number(row!.distinct), outbox: Number(row!.outbox), sent: Number(row!.sent) };
}

/** Waits until n mails are stored and n acknowledgements are sent. */
async function waitAllAcknowledged(db: TestDatabase, n: number, timeoutMs: number, explain: () => string = () => ''): Promise<Counts> {
  try {
    return await waitFor(
      async () => {
        const now = await counts(db);
        return now.messages >= n && now.sent >= n && now;
      },
      `${n} mails stored and acknowledged`,
      timeoutMs,
      100,
    );
  } catch (err) {
    const stuck = await db.query(`select id, status, attempts, last_error from outbox where status <> 'sent' order by id limit 5`);
    throw new Error(`${String(err)}\ncounts: ${JSON.stringify(await counts(db))}\nunsent: ${JSON.stringify(stuck)}\n${explain()}`, { cause: err });
  }
}

/** The acknowledgements in jan's mailbox, by Message-ID, with how often each arrived. */
async function acknowledgementsIn(dovecot: PrivateDovecot, user = 'jan'): Promise<Map<string, number>> {
  const byId = new Map<string, number>();
  for (const m of await dovecot.listMessages(user)) {
    if (!(m.subject ?? '').includes('Ontvangstbevestiging')) continue;
    const id = m.messageId ?? '(none)';
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return byId;
}

/** Every acknowledgement row reached jan exactly once (or, for rows in `mayRepeat`, at most twice). */
async function expectEachAcknowledgementDelivered(db: TestDatabase, dovecot: PrivateDovecot, n: number, mayRepeat = new Set<number>()): Promise<number> {
  const rows = await db.query<{ id: string; status: string }>(`select id, status from outbox where kind = 'acknowledgement' order by id`);
  expect(rows).toHaveLength(n);
  expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
  const expected = rows.map((row) => outboxMessageId(Number(row.id), 'loket.test')).sort();
  let seen = new Map<string, number>();
  const delivered = await waitFor(
    async () => {
      seen = await acknowledgementsIn(dovecot);
      return seen.size >= n && seen;
    },
    `${n} acknowledgements in jan's mailbox`,
    30_000,
    250,
  ).catch((err: unknown) => {
    const missing = expected.filter((id) => !seen.has(id));
    throw new Error(`${String(err)}\n${seen.size} of ${n} there; missing (first 10): ${missing.slice(0, 10).join(' ')}`);
  });
  expect([...delivered.keys()].sort()).toEqual(expected);
  const twice = [...delivered].filter(([, count]) => count > 1).map(([id]) => Number(/^<loket\.outbox\.(\d+)@/.exec(id)?.[1]));
  expect(Math.max(...delivered.values())).toBeLessThanOrEqual(2);
  expect(
    twice.filter((id) => !mayRepeat.has(id)),
    'only acknowledgements in flight at a crash arrive twice',
  ).toEqual([]);
  return twice.length;
}

it('a Dovecot restart in the middle of a 500-mail backlog loses nothing and stores and acknowledges every mail once', async () => {
  const n = 500;
  const dovecot = await dovecotForTest();
  const mails = Array.from({ length: n }, (_, i) => mail({ subject: `Vraag ${i} over mijn verlof` }));
  const started = Date.now();
  await appendAll(
    dovecot,
    mails.map((m) => m.raw),
  );
  const appended = Date.now();

  const loket = await loketForTest(mailEnv(dovecot));
  const db = loket.db!;
  const atRestart = await waitFor(
    async () => {
      const now = await counts(db);
      return now.messages >= n / 3 && now;
    },
    'a third of the backlog to be stored',
    60_000,
    10,
  );
  expect(atRestart.messages, 'restarted before the backlog was done').toBeLessThan(n);
  await dovecot.restart({ downForMs: 500 });

  await waitAllAcknowledged(db, n, 60_000, () => dovecot.readLog().slice(-3_000));
  await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty', 20_000, 200).catch(async (err: unknown) => {
    const left = (await dovecot.listMessages('loket')).map((m) => `${m.uid}${m.flags.length ? `(${m.flags.join(' ')})` : ''}`);
    const state = await db.query(`select * from mailbox_state`);
    throw new Error(
      `${String(err)}\nstill in the inbox: ${left.length} (${left.slice(0, 20).join(' ')})\nstate: ${JSON.stringify(state)}\n${dovecot.readLog().slice(-2_000)}`,
    );
  });
  const done = Date.now();

  const final = await counts(db);
  expect(final).toEqual({ messages: n, distinct: n, outbox: n, sent: n });
  const stored = await db.query<{ message_id: string }>(`select thread->>'messageId' as message_id from messages where channel = 'email'`);
  expect(new Set(stored.map((r) => r.message_id))).toEqual(new Set(mails.map((m) => m.messageId)));
  expect((await dovecot.mailboxStatus('loket', 'Loket/Verwerkt')).messages).toBe(n);
  // LMTP across a restart: a delivery cut off after Dovecot stored it but before it answered
  // is sent again; that can only be a row that was being sent at the restart, so at most a few.
  const twice = await expectEachAcknowledgementDelivered(
    db,
    dovecot,
    n,
    new Set((await db.query<{ id: string }>(`select id from outbox`)).map((r) => Number(r.id))),
  );
  expect(twice, 'at most the deliveries cut off by the restart arrive twice').toBeLessThanOrEqual(8);

  console.log(
    `dovecot restart: ${n} appended in ${appended - started} ms; restarted at ${atRestart.messages} stored; ` +
      `all stored, acknowledged and moved ${done - appended} ms after appending; ${twice} acknowledgement(s) delivered twice`,
  );
}, 90_000);

it('a mail whose move fails stays due: the reader reconnects and moves it, it does not skip it', async () => {
  const dovecot = await dovecotForTest();
  const loket = await loketForTest(mailEnv(dovecot));
  const db = loket.db!;
  const first = mail({ subject: 'Eerste vraag' });
  await dovecot.append('loket', first.raw);
  await waitFor(async () => (await dovecot.mailboxStatus('loket', 'Loket/Verwerkt')).messages === 1, 'the first mail to be moved', 30_000);

  // The folder the reader moves into disappears under it: its next MOVE gets a NO, which
  // imapflow reports by returning false rather than throwing.
  const admin = await dovecot.connect('loket');
  try {
    await admin.mailboxDelete(dovecot.folder('Loket/Verwerkt'));
  } finally {
    await admin.logout().catch(() => admin.close());
  }
  const second = mail({ subject: 'Tweede vraag' });
  await dovecot.append('loket', second.raw);

  await waitAllAcknowledged(db, 2, 30_000);
  await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty', 30_000).catch(async (err: unknown) => {
    throw new Error(`${String(err)}; state: ${JSON.stringify(await db.query(`select * from mailbox_state`))}`);
  });
  const moved = await dovecot.listMessages('loket', 'Loket/Verwerkt');
  expect(moved.map((m) => m.messageId)).toEqual([second.messageId]);
  expect(await counts(db)).toEqual({ messages: 2, distinct: 2, outbox: 2, sent: 2 });
});

it('a changed UIDVALIDITY rescans the mailbox without storing or acknowledging a mail twice', async () => {
  const dovecot = await dovecotForTest();
  const db = await databaseForTest();
  const env = mailEnv(dovecot, { IMAP_AFTER: 'flag', QUEUE_PREFIX: uniquePrefix() });
  const first = mail({ subject: 'Eerste vraag' });
  const second = mail({ subject: 'Tweede vraag' });
  await appendAll(dovecot, [first.raw, second.raw]);

  const loket = await loketForTest(env, db);
  await waitAllAcknowledged(db, 2, 30_000);
  const key = `loket@127.0.0.1:${dovecot.imapPort}/INBOX`;
  await waitFor(
    async () => Number((await db.query<{ last_uid: string }>(`select last_uid from mailbox_state where mailbox = $1`, [key]))[0]?.last_uid) === 2,
    'the state to reach uid 2',
    30_000,
  ).catch(async (err) => {
    throw new Error(`${String(err)}: ${JSON.stringify(await db.query(`select * from mailbox_state`))}`);
  });
  await loket.stop();

  const { before, after } = await dovecot.recreateMailbox('loket', 'INBOX', { keepMessages: true });
  expect(after).not.toBe(before);
  const [state] = await db.query<{ uid_validity: string; last_uid: string }>(`select uid_validity, last_uid from mailbox_state where mailbox = $1`, [key]);
  expect(BigInt(state!.uid_validity)).toBe(before);
  // Dovecot keeps counting UIDs in a rebuilt INBOX; a real server may start again at 1. Make the
  // stored last UID lie beyond every new UID, so only the UIDVALIDITY check can make the reader look.
  await db.query(`update mailbox_state set last_uid = 1000 where mailbox = $1`, [key]);
  const third = mail({ subject: 'Derde vraag' });
  const { uid: thirdUid, uidValidity } = await dovecot.append('loket', third.raw);
  expect(uidValidity).toBe(after);
  expect(thirdUid).toBeLessThan(1000);

  await loketForTest(env, db);
  await waitAllAcknowledged(db, 3, 30_000);
  await waitFor(async () => {
    const [now] = await db.query<{ uid_validity: string; last_uid: string }>(`select uid_validity, last_uid from mailbox_state where mailbox = $1`, [key]);
    return now && BigInt(now.uid_validity) === after && Number(now.last_uid) === thirdUid;
  }, 'the state to move to the new UIDVALIDITY');
  // Give a wrongly repeated intake or acknowledgement the time to show.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(await counts(db)).toEqual({ messages: 3, distinct: 3, outbox: 3, sent: 3 });
  await expectEachAcknowledgementDelivered(db, dovecot, 3);
  const inbox = await dovecot.listMessages('loket');
  expect(inbox).toHaveLength(3);
  expect(inbox.every((m) => m.flags.includes('$LoketVerwerkt'))).toBe(true);
});

it('two Lokets on one mailbox: one reads, every mail is stored and acknowledged once, and the standby takes over within 20 s when the reader is killed', async () => {
  const dovecot = await dovecotForTest();
  const db = await databaseForTest();
  const prefix = uniquePrefix();
  const env = mailEnv(dovecot, { QUEUE_PREFIX: prefix });
  const lockKey = `${prefix}:imap-lock:loket@127.0.0.1:${dovecot.imapPort}/INBOX`;
  const redis = new Redis(REDIS_URL);
  cleanups.push(async () => redis.disconnect());

  // The reader: its own OS process, so it can die without releasing the lock.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-reader-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const reader: LoketProcess = startLoketProcess({ ...env, REDIS_URL, DATABASE_URL: db.url, DATA_DIR: dataDir, DATABASE_POOL_SIZE: '5', SWEEP_SECONDS: '2' });
  cleanups.push(() => reader.kill('SIGKILL'));
  await waitFor(
    async () => {
      if (reader.child.exitCode !== null) throw new Error(`the reader exited:\n${reader.output()}`);
      return (await redis.get(lockKey)) !== null;
    },
    'the reader process to take the mailbox lock',
    30_000,
    100,
  );
  const readerToken = await redis.get(lockKey);
  // The standby: in this process, same database and queue prefix.
  await loketForTest(env, db);

  const batch = Array.from({ length: 40 }, (_, i) => mail({ subject: `Vraag ${i}` }));
  await appendAll(
    dovecot,
    batch.map((m) => m.raw),
  );
  await waitAllAcknowledged(db, batch.length, 30_000, () => reader.output());
  await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty');
  expect(await redis.get(lockKey), 'the first reader kept the lock throughout').toBe(readerToken);

  expect((await reader.kill('SIGKILL')).signal).toBe('SIGKILL');
  const killed = Date.now();
  const late = mail({ subject: 'Na de overname' });
  await dovecot.append('loket', late.raw);
  await waitFor(
    async () => (await db.query(`select id from messages where thread->>'messageId' = $1`, [late.messageId])).length === 1,
    'the standby to take the mailbox over',
    25_000,
    100,
  );
  const tookOverMs = Date.now() - killed;
  expect(tookOverMs).toBeLessThan(20_000 + 1_000);
  const token = await redis.get(lockKey);
  expect(token).not.toBeNull();
  expect(token).not.toBe(readerToken);

  await waitAllAcknowledged(db, batch.length + 1, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await counts(db)).toEqual({ messages: 41, distinct: 41, outbox: 41, sent: 41 });
  await expectEachAcknowledgementDelivered(db, dovecot, 41);
  console.log(`mailbox lock: the standby took over ${tookOverMs} ms after the reader was killed`);
}, 60_000);

it('quarantines an invalid mail with its raw source kept, and the mails after it still flow', async () => {
  const dovecot = await dovecotForTest();
  const loket = await loketForTest(mailEnv(dovecot));
  const db = loket.db!;

  const boundary = 'grens-101';
  const messageId = `<${randomUUID()}@loket.test>`;
  const parts = Array.from({ length: 101 }, (_, i) =>
    [
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      `Content-Disposition: attachment; filename="bijlage-${i}.txt"`,
      '',
      `Bijlage nummer ${i}`,
    ].join('\r\n'),
  );
  const invalid = [
    'From: Jan de Vries <jan@loket.test>',
    'To: Contactcenter <loket@loket.test>',
    'Subject: Alle bonnetjes',
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hierbij al mijn bonnetjes.',
    ...parts,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const after = [mail({ subject: 'Na de bonnetjes' }), mail({ subject: 'Nog een vraag' })];
  await appendAll(dovecot, [invalid, ...after.map((m) => m.raw)]);

  const [held] = await waitFor(
    async () => {
      const rows = await db.query<{ reason: string; raw_sha256: string | null; error: string | null }>(
        `select reason, raw_sha256, error from quarantine where split_part(external_id, '#', 1) = $1`,
        [messageId],
      );
      return rows.length > 0 && rows;
    },
    'the invalid mail to be quarantined',
    30_000,
  ).catch(async (err) => {
    throw new Error(
      `${String(err)}: ${JSON.stringify(await db.query(`select m.external_id, (select count(*) from attachments a where a.message_id = m.id) as n from messages m`))}`,
    );
  });
  expect(held!.reason).toBe('invalid');
  expect(held!.raw_sha256).toMatch(/^[0-9a-f]{64}$/);
  const [blob] = await db.query<{ content: Buffer }>(`select content from blobs where sha256 = $1`, [held!.raw_sha256]);
  expect(blob).toBeDefined();
  const kept = Buffer.from(blob!.content).toString('utf8');
  expect(kept).toContain(`Message-ID: ${messageId}`);
  expect(kept).toContain('bijlage-100.txt');

  await waitAllAcknowledged(db, 2, 30_000);
  expect(await db.query(`select id from messages where thread->>'messageId' = $1`, [messageId])).toEqual([]);
  const stored = await db.query<{ message_id: string }>(`select thread->>'messageId' as message_id from messages where channel = 'email'`);
  expect(stored.map((r) => r.message_id).sort()).toEqual(after.map((m) => m.messageId).sort());
  await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty');
  expect((await dovecot.mailboxStatus('loket', 'Loket/Verwerkt')).messages).toBe(3);
});

it('a bounce of an acknowledgement lands on the original case, flags it for attention and is not acknowledged', async () => {
  const dovecot = await dovecotForTest();
  const loket = await loketForTest(mailEnv(dovecot));
  const db = loket.db!;

  const question = mail({ subject: 'Reiskostenvergoeding' });
  await dovecot.append('loket', question.raw);
  const ack = await dovecot.waitForMessage('jan', (m) => (m.subject ?? '').includes('Ontvangstbevestiging'), { timeoutMs: 30_000 });
  expect(ack.messageId).toMatch(/^<loket\.outbox\.\d+@loket\.test>$/);
  const [original] = await db.query<{ case_id: string }>(`select case_id from messages where thread->>'messageId' = $1`, [question.messageId]);
  expect(original!.case_id).not.toBeNull();

  const boundary = 'bounce-grens';
  const bounceId = `<${randomUUID()}@mail.loket.test>`;
  const bounce = [
    'From: Mail Delivery System <MAILER-DAEMON@mail.loket.test>',
    'To: loket@loket.test',
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${bounceId}`,
    `Date: ${new Date().toUTCString()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered to jan@loket.test: mailbox full.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.loket.test',
    '',
    'Final-Recipient: rfc822; jan@loket.test',
    'Action: failed',
    'Status: 5.2.2',
    'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    'From: Contactcenter <loket@loket.test>',
    'To: jan@loket.test',
    `Subject: ${ack.subject}`,
    `Message-ID: ${ack.messageId}`,
    `In-Reply-To: ${question.messageId}`,
    'Auto-Submitted: auto-replied',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  await dovecot.append('loket', bounce);

  const [row] = await waitFor(async () => {
    const rows = await db.query<{ id: string; case_id: string | null; meta: Record<string, unknown> }>(
      `select id, case_id, meta from messages where thread->>'messageId' = $1 and routed_at is not null`,
      [bounceId],
    );
    return rows.length > 0 && rows;
  }, 'the bounce to be routed');
  expect(row!.meta['bounceOf']).toBe(ack.messageId);
  expect(row!.case_id).toBe(original!.case_id);
  const [flagged] = await db.query<{ attention: string | null }>(`select attention from cases where id = $1`, [original!.case_id]);
  expect(flagged!.attention).toBe('bounce');
  expect(Number((await db.query<{ n: string }>(`select count(*) as n from cases`))[0]!.n)).toBe(1);

  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await db.query(`select id from outbox where message_id = $1`, [row!.id])).toEqual([]);
  expect((await counts(db)).outbox).toBe(1);
  expect((await acknowledgementsIn(dovecot)).size).toBe(1);
});

it('a worker SIGKILLed in the middle of a mail backlog loses no mail and sends again only acknowledgements in flight at the kill', async () => {
  const n = 200;
  const dovecot = await dovecotForTest();
  // This process reads the mailbox (ROLE=web); the worker processes route and acknowledge.
  const web = await loketForTest(mailEnv(dovecot, { ROLE: 'web' }));
  const db = web.db!;
  const startWorker = () => {
    const worker = startLoketProcess({
      ...mailEnv(dovecot),
      ROLE: 'worker',
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: web.config.QUEUE_PREFIX,
      DATA_DIR: web.dataDir,
      DATABASE_POOL_SIZE: '10',
      JOB_LOCK_SECONDS: '2',
      OUTBOX_LEASE_SECONDS: '6',
      SWEEP_SECONDS: '1',
    });
    cleanups.push(() => worker.kill('SIGKILL'));
    return worker;
  };
  const mails = Array.from({ length: n }, (_, i) => mail({ subject: `Vraag ${i} over mijn pensioen` }));
  await appendAll(
    dovecot,
    mails.map((m) => m.raw),
  );
  await waitFor(async () => (await counts(db)).messages === n, 'the backlog to be taken in', 60_000, 100);

  const first = startWorker();
  const atKill = await waitFor(
    async () => {
      if (first.child.exitCode !== null) throw new Error(`the worker exited early:\n${first.output()}`);
      const [row] = await db.query<{ outbox: string; sending: string }>(
        `select (select count(*) from outbox) as outbox, (select count(*) from outbox where status = 'sending') as sending`,
      );
      const outbox = Number(row!.outbox);
      return outbox >= n / 4 && (Number(row!.sending) > 0 || outbox >= n / 2) && outbox;
    },
    'the first worker to be busy',
    60_000,
    5,
  );
  expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');
  const inFlight = new Set((await db.query<{ id: string }>(`select id from outbox where status = 'sending'`)).map((r) => Number(r.id)));
  const afterKill = await counts(db);
  expect(afterKill.sent, 'killed before everything was sent').toBeLessThan(n);

  const second = startWorker();
  await waitAllAcknowledged(db, n, 60_000, () => second.output());
  expect(await counts(db)).toEqual({ messages: n, distinct: n, outbox: n, sent: n });
  const twice = await expectEachAcknowledgementDelivered(db, dovecot, n, inFlight);
  expect((await second.kill('SIGTERM')).code).toBe(0);
  console.log(`mail worker crash: killed at ${atKill} outbox rows / ${afterKill.sent} sent (${inFlight.size} in flight); ${twice} delivered twice`);
}, 90_000);

it('an acknowledgement Dovecot refuses after DATA is not taken for sent: it stays due and arrives once the mailbox can be written', async () => {
  const dovecot = await dovecotForTest();
  // jan's mailbox exists, then cannot be written: Dovecot's LMTP accepts the recipient and
  // refuses the delivery in its per-recipient answer to DATA, as it does when it shuts down.
  await dovecot.deliverLmtp('jan', mail({ from: 'Iemand <iemand@loket.test>', subject: 'Eerder bericht' }).raw);
  const janHome = path.join(dovecot.dir, 'mail', 'jan');
  await chmod(janHome, 0o000);
  cleanups.push(() => chmod(janHome, 0o700));
  const loket = await loketForTest(mailEnv(dovecot));
  const db = loket.db!;
  await dovecot.append('loket', mail({ subject: 'Vraag over mijn verlof' }).raw);

  const refused = await waitFor(
    async () =>
      (
        await db.query<{ status: string; attempts: number; last_error: string | null }>(
          `select status, attempts, last_error from outbox where last_error is not null`,
        )
      )[0],
    'the refused delivery to be recorded',
    30_000,
    100,
  );
  expect(refused.status).not.toBe('sent');
  expect(refused.last_error).toMatch(/jan/);
  expect((await counts(db)).sent).toBe(0);

  await chmod(janHome, 0o700);
  await waitAllAcknowledged(db, 1, 60_000, () => dovecot.readLog().slice(-2_000));
  expect(await expectEachAcknowledgementDelivered(db, dovecot, 1)).toBe(0);
}, 90_000);
