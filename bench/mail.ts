/**
 * npm run bench:mail — Loket's mail channel against a private Dovecot (IMAP + LMTP),
 * the real PostgreSQL (a database of its own) and Redis (a queue prefix of its own).
 *
 *  1. Ingest: BENCH_MAIL_N mails are APPENDed to the contact mailbox before Loket starts;
 *     rate = mails stored in `messages` (channel 'email') per second from the moment
 *     Loket is launched until the last one is stored (stored times from created_at);
 *     also the time until every acknowledgement is sent (outbox.sent_at) and delivered.
 *  2. Latency: with Loket idle, one APPEND every BENCH_MAIL_LAT_INTERVAL_MS; the clock
 *     stops when the acknowledgement appears in the sender's mailbox, seen by STATUS
 *     polled every 5 ms (granularity ~6 ms, printed). An IDLE watcher runs alongside for
 *     comparison only: Dovecot batches IDLE notifications, which would blur the figure.
 *  3. Baseline: the raw IMAP fetch speed of the same Dovecot, no Loket: one streamed
 *     UID FETCH 1:* (BODY.PEEK[]) and, for diagnosis, one fetchOne per mail.
 *
 * Loket runs in a child process (bench/mail.child.ts) so the bench's own IMAP and SQL
 * work never shares Loket's event loop.
 *
 * Environment: BENCH_MAIL_N [2000], BENCH_MAIL_LAT_N [50], BENCH_MAIL_LAT_INTERVAL_MS [200],
 * BENCH_MAIL_WAIT_SECONDS [300] per phase, BENCH_MAIL_TIMEOUT_SECONDS [900] whole run,
 * BENCH_LOG_LEVEL [silent] Loket's log level, REDIS_URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchModule } from './child.js';
import { ImapFlow } from 'imapflow';
import { startDovecot, type PrivateDovecot } from '../test/support/dovecot.js';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres.js';
import { dropQueueKeys } from './redis-cleanup.js';
import { intFromEnv } from './harness.js';

const N = intFromEnv('BENCH_MAIL_N', 2_000);
const LAT_N = intFromEnv('BENCH_MAIL_LAT_N', 50);
const LAT_INTERVAL_MS = intFromEnv('BENCH_MAIL_LAT_INTERVAL_MS', 200);
const WAIT_MS = intFromEnv('BENCH_MAIL_WAIT_SECONDS', 300) * 1_000;
const TIMEOUT_MS = intFromEnv('BENCH_MAIL_TIMEOUT_SECONDS', 900) * 1_000;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const APPEND_CONNECTIONS = 8; // Dovecot allows 10 per user+IP (mail_max_userip_connections)
const SENDERS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];
const LAT_SENDER = 'lat';
const TARGET_RATE = 300;
const TARGET_P50_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Wall-clock epoch ms with sub-ms resolution (PostgreSQL stamps with the wall clock too). */
const clockOffset = Date.now() - performance.now();
const clock = () => clockOffset + performance.now();

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Undo steps, newest first, each one even when another fails. */
const undo: Array<{ what: string; run: () => Promise<unknown> }> = [];
async function cleanUp(): Promise<string[]> {
  const failed: string[] = [];
  for (let step = undo.pop(); step; step = undo.pop()) {
    try {
      await step.run();
    } catch (err) {
      failed.push(`${step.what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failed;
}

function mail(i: number, from: string, subject: string): { raw: string; messageId: string } {
  const messageId = `<bench-${i}-${randomBytes(6).toString('hex')}@loket.test>`;
  const raw = [
    `From: Burger ${from} <${from}@loket.test>`,
    'To: Contactcenter <loket@loket.test>',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Op mijn salarisstrook van oktober staat een verkeerd bedrag (vraag ${i}).`,
    'Kunt u dit nakijken? Met vriendelijke groet.',
    '',
  ].join('\r\n');
  return { raw, messageId };
}

function imapClient(dovecot: PrivateDovecot, user: string, idle = false): ImapFlow {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.imapPort,
    secure: false,
    auth: { user, pass: dovecot.users[user]! },
    logger: false,
    emitLogs: false,
    disableAutoIdle: !idle,
    autoIdleDelay: 5, // IDLE again right after any command, so no EXISTS waits for the next one
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 60_000,
  });
  client.on('error', () => undefined);
  return client;
}

async function waitUntil(what: string, check: () => Promise<boolean>, everyMs = 25, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1_000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** BENCH_MAIL_SPLIT=0 runs one ROLE=all process instead of ROLE=web + ROLE=worker. */
const SPLIT = (process.env['BENCH_MAIL_SPLIT'] ?? '1') !== '0';

// ---------------------------------------------------------------- Loket child

interface LoketChild {
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startLoketChild(env: Record<string, string>): Promise<LoketChild> {
  const entry = benchModule('mail.child');
  const child = fork(entry, [], {
    env: { ...process.env, ...env },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ type: 'stop' });
    const gone = await Promise.race([exited.then(() => true), sleep(25_000).then(() => false)]);
    if (!gone && child.pid) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Loket did not start within 60 s')), 60_000);
    child.on('message', (m: { type?: string; error?: string }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`Loket failed to start: ${m.error}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Loket exited with ${code} before it was ready`));
    });
  });
  return { child, stop };
}

// ---------------------------------------------------------------- phases

async function preload(dovecot: PrivateDovecot): Promise<{ ms: number; messageIds: string[] }> {
  const mails = Array.from({ length: N }, (_, i) => mail(i, SENDERS[i % SENDERS.length]!, `Loonstrook vraag ${i}`));
  const started = clock();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(APPEND_CONNECTIONS, N) }, async () => {
      const client = imapClient(dovecot, 'loket');
      await client.connect();
      try {
        for (let i = next++; i < N; i = next++) await client.append('INBOX', mails[i]!.raw);
      } finally {
        await client.logout().catch(() => client.close());
      }
    }),
  );
  const ms = clock() - started;
  const status = await dovecot.mailboxStatus('loket');
  if (status.messages !== N) throw new Error(`preload: INBOX holds ${status.messages} mails, expected ${N}`);
  return { ms, messageIds: mails.map((m) => m.messageId) };
}

interface Baseline {
  streamedMs: number;
  streamedBytes: number;
  perMessageMs: number;
}

/** Read-only (EXAMINE): the INBOX is left exactly as Loket will find it. */
async function baseline(dovecot: PrivateDovecot): Promise<Baseline> {
  const client = imapClient(dovecot, 'loket');
  await client.connect();
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    let started = clock();
    let count = 0;
    let streamedBytes = 0;
    const uids: number[] = [];
    for await (const message of client.fetch('1:*', { uid: true, source: true })) {
      count++;
      streamedBytes += message.source?.byteLength ?? 0;
      uids.push(message.uid);
    }
    const streamedMs = clock() - started;
    if (count !== N) throw new Error(`baseline fetched ${count} mails, expected ${N}`);

    started = clock();
    for (const uid of uids) {
      const one = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!one || !one.source) throw new Error(`baseline: no source for UID ${uid}`);
    }
    const perMessageMs = clock() - started;
    return { streamedMs, streamedBytes, perMessageMs };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

interface Ingest {
  launchedAt: number;
  readyAt: number;
  firstStoredAt: number;
  lastStoredAt: number;
  lastSentAt: number;
  deliveredSeenAt: number;
  stored: number;
  sent: number;
  delivered: number;
}

async function ingest(db: TestDatabase, dovecot: PrivateDovecot, env: Record<string, string>): Promise<{ loket: LoketChild; result: Ingest }> {
  if (SPLIT) {
    // As deployed: a web process reads the mailbox, a worker process routes and sends;
    // on this 2-core machine each gets a core instead of sharing one event loop.
    const worker = await startLoketChild({ ...env, ROLE: 'worker' });
    undo.push({ what: 'stop Loket worker', run: () => worker.stop() });
  }
  const launchedAt = clock();
  const loket = await startLoketChild({ ...env, ROLE: SPLIT ? 'web' : 'all' });
  undo.push({ what: 'stop Loket', run: () => loket.stop() });
  const readyAt = clock();

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]!.n);
  await waitUntil(`${N} mails stored`, async () => (await count(`select count(*) as n from messages where channel = 'email'`)) >= N);
  await waitUntil(`${N} acknowledgements sent`, async () => (await count(`select count(*) as n from outbox where status = 'sent'`)) >= N, 50);
  // LMTP delivery finished before sent_at was written; confirm it in the senders' mailboxes.
  const delivered = async () => (await Promise.all(SENDERS.map((s) => dovecot.mailboxStatus(s)))).reduce((sum, s) => sum + s.messages, 0);
  await waitUntil(`${N} acknowledgements in the senders' mailboxes`, async () => (await delivered()) >= N, 100, 60_000);
  const deliveredSeenAt = clock();

  const [times] = await db.query<{ first: string; last: string; stored: string; last_sent: string; sent: string }>(
    `select (extract(epoch from min(m.created_at)) * 1000)::text as first,
            (extract(epoch from max(m.created_at)) * 1000)::text as last,
            count(*)::text as stored,
            (select (extract(epoch from max(sent_at)) * 1000)::text from outbox where status = 'sent') as last_sent,
            (select count(*)::text from outbox where status = 'sent') as sent
       from messages m where m.channel = 'email'`,
  );
  return {
    loket,
    result: {
      launchedAt,
      readyAt,
      firstStoredAt: Number(times!.first),
      lastStoredAt: Number(times!.last),
      lastSentAt: Number(times!.last_sent),
      deliveredSeenAt,
      stored: Number(times!.stored),
      sent: Number(times!.sent),
      delivered: await delivered(),
    },
  };
}

interface Latency {
  /** APPEND -> ack counted by STATUS polled every LAT_POLL_MS (the reported figure). */
  viaStatus: number[];
  /** APPEND -> EXISTS pushed to an IDLE connection (what an IDLE client sees). */
  viaIdle: number[];
  viaSentAt: number[];
  missing: number;
  appendMs: number[];
  statusRttMs: number[];
}

const LAT_POLL_MS = 5;

/** Arrival of sequence number q = time of the first observation with count >= q. */
function arrivalOf(observations: ReadonlyArray<{ count: number; at: number }>, seq: number): number | undefined {
  return observations.find((o) => o.count >= seq)?.at;
}

async function latency(db: TestDatabase, dovecot: PrivateDovecot): Promise<Latency> {
  // Watcher 1: STATUS (MESSAGES) every LAT_POLL_MS on a connection with nothing selected.
  const poller = imapClient(dovecot, LAT_SENDER);
  // Watcher 2: IDLE on the INBOX; each EXISTS is timestamped on arrival.
  const watcher = imapClient(dovecot, LAT_SENDER, true);
  const idleSeen: Array<{ count: number; at: number }> = [];
  watcher.on('exists', (info: { count: number }) => idleSeen.push({ count: info.count, at: clock() }));
  const appender = imapClient(dovecot, 'loket');
  await Promise.all([poller.connect(), watcher.connect(), appender.connect()]);
  try {
    const opened = await watcher.mailboxOpen('INBOX');
    const base = opened.exists;
    const statusSeen: Array<{ count: number; at: number }> = [];
    const statusRttMs: number[] = [];
    let polling = true;
    const polled = (async () => {
      let last = base;
      while (polling) {
        const asked = clock();
        const status = await poller.status('INBOX', { messages: true });
        const now = clock();
        statusRttMs.push(now - asked);
        const count = (status && status.messages) || 0;
        // The mail was there by `now`, and not yet at the previous poll's answer.
        if (count > last) statusSeen.push({ count, at: now });
        last = count;
        await sleep(LAT_POLL_MS);
      }
    })();

    const sentAt = new Map<string, number>();
    const appendMs: number[] = [];
    const mails = Array.from({ length: LAT_N }, (_, i) => mail(100_000 + i, LAT_SENDER, `Latentie ${i}`));
    await sleep(300); // let the watchers settle

    const t0 = clock();
    for (let i = 0; i < LAT_N; i++) {
      const due = t0 + i * LAT_INTERVAL_MS;
      const wait = due - clock();
      if (wait > 0) await sleep(wait);
      const at = clock();
      sentAt.set(mails[i]!.messageId, at);
      await appender.append('INBOX', mails[i]!.raw);
      appendMs.push(clock() - at);
    }
    await waitUntil('every latency acknowledgement', async () => (statusSeen.at(-1)?.count ?? base) >= base + LAT_N, 50, 60_000).catch(() => undefined);
    polling = false;
    await polled;

    // Give the IDLE watcher time to be told of the last ones too; then NOOP so its view is complete.
    const finalCount = statusSeen.at(-1)?.count ?? base;
    await waitUntil('the IDLE watcher to catch up', async () => (idleSeen.at(-1)?.count ?? base) >= finalCount, 20, 5_000).catch(() => undefined);
    await watcher.noop();

    // Which ack is which: In-Reply-To of each sequence number after the base.
    const bySeq = new Map<string, number>();
    if ((statusSeen.at(-1)?.count ?? base) > base) {
      for await (const m of watcher.fetch(`${base + 1}:*`, { headers: ['in-reply-to'] })) {
        const inReplyTo = /^in-reply-to:\s*(<[^>]+>)/im.exec(m.headers?.toString('utf8') ?? '')?.[1];
        if (inReplyTo) bySeq.set(inReplyTo, m.seq);
        else if (process.env['BENCH_MAIL_DEBUG']) console.error(`ack #${m.seq} without In-Reply-To: ${JSON.stringify(m.headers?.toString('utf8'))}`);
      }
    }

    const ids = mails.map((m) => m.messageId);
    const sentRows = await db.query<{ message_id: string; sent: string }>(
      `select m.thread->>'messageId' as message_id, (extract(epoch from o.sent_at) * 1000)::text as sent
         from outbox o join messages m on m.id = o.message_id
        where o.status = 'sent' and m.channel = 'email' and m.thread->>'messageId' = any($1)`,
      [ids],
    );
    const viaStatus: number[] = [];
    const viaIdle: number[] = [];
    const viaSentAt: number[] = [];
    for (const id of ids) {
      const seq = bySeq.get(id);
      if (seq === undefined) {
        if (process.env['BENCH_MAIL_DEBUG'])
          console.error(`no ack matched ${id}; acks seen: ${bySeq.size}, last STATUS count ${statusSeen.at(-1)?.count} (base ${base})`);
        continue;
      }
      const polledAt = arrivalOf(statusSeen, seq);
      const idledAt = arrivalOf(idleSeen, seq);
      if (polledAt !== undefined) viaStatus.push(polledAt - sentAt.get(id)!);
      if (idledAt !== undefined) viaIdle.push(idledAt - sentAt.get(id)!);
    }
    for (const row of sentRows) {
      const key = ids.find((id) => id === row.message_id);
      if (key) viaSentAt.push(Number(row.sent) - sentAt.get(key)!);
    }
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    return {
      viaStatus: sorted(viaStatus),
      viaIdle: sorted(viaIdle),
      viaSentAt: sorted(viaSentAt),
      missing: LAT_N - viaStatus.length,
      appendMs: sorted(appendMs),
      statusRttMs: sorted(statusRttMs),
    };
  } finally {
    for (const client of [appender, watcher, poller]) await client.logout().catch(() => client.close());
  }
}

// ---------------------------------------------------------------- report

const f = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const row = (label: string, value: string, note = '') => console.log(`  ${label.padEnd(44)} ${value.padStart(12)}  ${note}`);

async function main(): Promise<number> {
  console.log(`bench:mail  N=${N}  latency ${LAT_N} x every ${LAT_INTERVAL_MS} ms  (Dovecot ${'private'}, PostgreSQL 127.0.0.1, Redis ${REDIS_URL})`);
  const users: Record<string, string> = { loket: 'loket-secret', [LAT_SENDER]: 'lat-secret' };
  for (const s of SENDERS) users[s] = `${s}-secret`;
  const dovecot = await startDovecot({ users });
  undo.push({ what: 'stop Dovecot', run: () => dovecot.stop() });
  const db = await createTestDatabase();
  undo.push({ what: `drop database ${db.name}`, run: () => db.drop() });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-mail-'));
  undo.push({ what: 'remove data dir', run: () => rm(dataDir, { recursive: true, force: true }) });
  const prefix = `{loket-bench-mail-${randomBytes(4).toString('hex')}}`;
  undo.push({ what: `obliterate queues ${prefix}`, run: () => dropQueueKeys(REDIS_URL, prefix, ['route', 'deliver']) });

  const pre = await preload(dovecot);
  console.log(`  preloaded ${N} mails by APPEND over ${APPEND_CONNECTIONS} connections in ${f(pre.ms)} ms`);
  const base = await baseline(dovecot);
  console.log('  baseline done; starting Loket');

  const env: Record<string, string> = {
    ROLE: 'all',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'silent',
    IMAP_URL: dovecot.imapUrl('loket'),
    SMTP_URL: dovecot.lmtpUrl,
    MAIL_FROM: 'Contactcenter <loket@loket.test>',
    AUTO_REPLY_LIMIT: '1000000000', // every bench mail is a first contact that deserves its receipt
  };
  const { result: ing } = await ingest(db, dovecot, env);
  console.log('  ingest done; latency phase');
  await sleep(1_000); // Loket idle: drained, IDLE again
  const lat = await latency(db, dovecot);

  const storeRate = ing.stored / ((ing.lastStoredAt - ing.launchedAt) / 1_000);
  const storeRateReady = ing.stored / ((ing.lastStoredAt - ing.readyAt) / 1_000);
  const baseRate = N / (base.streamedMs / 1_000);
  const perMessageRate = N / (base.perMessageMs / 1_000);
  const p50 = percentile(lat.viaStatus, 50);
  const p99 = percentile(lat.viaStatus, 99);

  console.log('');
  console.log('  ---------------------------------------------------------------- results');
  console.log(`  1. Ingest (preloaded INBOX; Loket as child processes: ${SPLIT ? 'ROLE=web reading + ROLE=worker' : 'one ROLE=all'})`);
  row('mails stored (messages, channel email)', `${ing.stored}/${N}`);
  row('Loket launch -> ready (startLoket resolved)', `${f(ing.readyAt - ing.launchedAt)} ms`);
  row('Loket launch -> first mail stored', `${f(ing.firstStoredAt - ing.launchedAt)} ms`);
  row('Loket launch -> all mails stored', `${f(ing.lastStoredAt - ing.launchedAt)} ms`);
  row('ingest rate from launch', `${f(storeRate, 1)} msg/s`, `target >= ${TARGET_RATE}: ${storeRate >= TARGET_RATE ? 'MET' : 'NOT MET'}`);
  row('ingest rate from ready', `${f(storeRateReady, 1)} msg/s`);
  row('ingest rate first -> last stored', `${f((ing.stored - 1) / ((ing.lastStoredAt - ing.firstStoredAt) / 1_000), 1)} msg/s`);
  row('acknowledgements sent (outbox)', `${ing.sent}/${N}`);
  row(
    'Loket launch -> all acknowledged (sent_at)',
    `${f(ing.lastSentAt - ing.launchedAt)} ms`,
    `${f(ing.sent / ((ing.lastSentAt - ing.launchedAt) / 1_000), 1)} msg/s`,
  );
  row("acknowledgements in senders' mailboxes", `${ing.delivered}/${N}`, `(seen by STATUS at ${f(ing.deliveredSeenAt - ing.launchedAt)} ms)`);
  console.log(`  2. Latency, Loket idle (APPEND -> ack in sender's mailbox; STATUS polled every ${LAT_POLL_MS} ms)`);
  row('samples', `${lat.viaStatus.length}/${LAT_N}`, lat.missing ? `${lat.missing} missing` : '');
  row('p50', `${f(p50, 1)} ms`, `target <= ${TARGET_P50_MS}: ${p50 <= TARGET_P50_MS ? 'MET' : 'NOT MET'}`);
  row('p99', `${f(p99, 1)} ms`);
  row('min / max', `${f(lat.viaStatus[0] ?? NaN, 1)} / ${f(lat.viaStatus.at(-1) ?? NaN, 1)} ms`);
  row(
    'granularity: poll gap + STATUS RTT p50/p99',
    `${f(LAT_POLL_MS + percentile(lat.statusRttMs, 50), 1)} / ${f(LAT_POLL_MS + percentile(lat.statusRttMs, 99), 1)} ms`,
  );
  row('cross-check: APPEND -> outbox.sent_at p50/p99', `${f(percentile(lat.viaSentAt, 50), 1)} / ${f(percentile(lat.viaSentAt, 99), 1)} ms`);
  row(
    'seen by an IDLE client instead p50/p99',
    `${f(percentile(lat.viaIdle, 50), 1)} / ${f(percentile(lat.viaIdle, 99), 1)} ms`,
    `(${lat.viaIdle.length} samples)`,
  );
  row('APPEND round trip itself p50/p99', `${f(percentile(lat.appendMs, 50), 1)} / ${f(percentile(lat.appendMs, 99), 1)} ms`);
  console.log('  3. Baseline: raw IMAP fetch of the same Dovecot, no Loket (imapflow)');
  row('streamed UID FETCH 1:* BODY[] ', `${f(baseRate, 1)} msg/s`, `${f(base.streamedMs)} ms, ${f(base.streamedBytes / 1024)} KiB`);
  row('one fetchOne per mail (unbatched)', `${f(perMessageRate, 1)} msg/s`, `${f(base.perMessageMs)} ms`);
  row('Loket ingest / streamed baseline', `${f(storeRate / baseRate, 3)}`, `(${f((storeRate / baseRate) * 100, 1)} %)`);
  row('Loket ingest / per-message baseline', `${f(storeRate / perMessageRate, 3)}`);
  console.log('');
  return 0;
}

let finishing = false;
async function finish(code: number): Promise<never> {
  if (!finishing) {
    finishing = true;
    const failed = await cleanUp();
    for (const f of failed) console.error(`cleanup failed: ${f}`);
    if (failed.length > 0 && code === 0) code = 1;
  }
  process.exit(code);
}

const watchdog = setTimeout(() => {
  console.error(`bench:mail: over BENCH_MAIL_TIMEOUT_SECONDS (${TIMEOUT_MS / 1_000} s); cleaning up`);
  void finish(1);
}, TIMEOUT_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130));

main().then(
  (code) => finish(code),
  (err: unknown) => {
    const detail = (err as { responseText?: string })?.responseText;
    console.error(`bench:mail failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${detail ? `\n  server said: ${detail}` : ''}`);
    return finish(1);
  },
);
