/**
 * npm run soak — Loket under steady mixed traffic for SOAK_MINUTES (30), with faults in
 * the middle: Redis restarted empty (no persistence: every queued job is gone and must be
 * found again from PostgreSQL), the worker process killed with SIGKILL and started again,
 * and PostgreSQL stopped as a crash would and started again. Every part is real: a
 * PostgreSQL, a redis-server and a Dovecot of the soak's own, Loket as a web and a worker
 * process (the production layout), forms over HTTP, mail delivered over LMTP and read by
 * Loket over IMAP IDLE, chat visitors over socket.io.
 *
 * Each message carries a token `[soak f12]` in its text; the client retries what was not
 * accepted (a 503 during an outage, a lost chat acknowledgement: resume, send the same
 * client id again), as a real client does. Afterwards it counts, per channel:
 *   in          messages the clients had accepted (202, LMTP 250, chat ack)
 *   stored      of those, stored in `messages`
 *   out         of those, answered (acknowledgement or chat redirect sent)
 *   lost        accepted but not stored, or stored but not answered after draining
 *   duplicated  tokens stored twice, answers sent twice (outbox rows, .eml files per
 *               recipient, chat lines seen twice)
 *   p50/p99     client send → answer sent (outbox.sent_at), outages included
 * and the resident memory of both processes at the first and last sample. Exit code 1
 * when anything is lost or duplicated, 2 when the run itself broke.
 *
 * Environment: SOAK_MINUTES [30], SOAK_FORMS_PER_MINUTE [120], SOAK_MAILS_PER_MINUTE [60],
 * SOAK_CHATS_PER_MINUTE [60], SOAK_DRAIN_SECONDS [300], BENCH_LOG_LEVEL [silent].
 * Not part of npm test.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { CHAT_NAMESPACE, type ChatLine, type ErrorAck, type ResumeAck, type StartAck } from '../channels/chat/chat.protocol.js';
import { CHAT_REDIRECT_KIND } from '../channels/chat/conversation.store.js';
import { startDovecot } from '../test/support/dovecot.js';
import { startPrivatePostgres } from '../test/support/postgres-server.js';
import { startPrivateRedis } from '../test/support/redis-server.js';
import { startChild } from './child.js';
import { Cleanup } from './cleanup.js';
import { clock, sleep } from './clock.js';
import { intFromEnv, loketChildEnv, runBench } from './harness.js';
import { jsonPoster } from './http-client.js';
import { percentile } from './stats.js';

const MINUTES = intFromEnv('SOAK_MINUTES', 30);
const RATES = {
  webform: intFromEnv('SOAK_FORMS_PER_MINUTE', 120),
  email: intFromEnv('SOAK_MAILS_PER_MINUTE', 60),
  chat: intFromEnv('SOAK_CHATS_PER_MINUTE', 60),
} as const;
const DRAIN_MS = intFromEnv('SOAK_DRAIN_SECONDS', 300) * 1_000;
const CHANNELS = ['webform', 'email', 'chat'] as const;
type ChannelName = (typeof CHANNELS)[number];
const LETTER: Record<ChannelName, string> = { webform: 'f', email: 'm', chat: 'c' };
const RETRY_MS = 1_000;
const CHAT_TIMEOUT_MS = 10_000;
/** When each fault strikes, as a share of the traffic time. */
const FAULTS = { redis: 0.3, worker: 0.5, postgres: 0.7 };
const OUTAGE_MS = 5_000;

/** What the clients know of one message. */
interface Item {
  token: string;
  channel: ChannelName;
  /** Epoch ms of the first try: the latency counts every retry. */
  firstTryAt: number;
  tries: number;
  accepted: boolean;
}

/** Questions outside the chat's topics, so every chat gets the automatic redirect. */
const TEXTS = [
  'Op mijn salarisstrook van oktober staat een verkeerd bedrag voor de toeslag.',
  'Mijn verlofaanvraag voor ouderschapsverlof is nog niet verwerkt.',
  'Mijn declaratie voor reiskosten van de dienstreis is afgewezen zonder reden.',
  'Hoeveel verlofuren heb ik nog over dit jaar en vervallen ze op 1 juli?',
];

const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

runBench(MINUTES * 60 + DRAIN_MS / 1_000 + 600, async () => {
  const cleanup = new Cleanup();
  try {
    await soak(cleanup);
  } finally {
    for (const problem of await cleanup.run()) process.stderr.write(`cleanup: ${problem}\n`);
  }
  if (process.exitCode === 1) throw new Error('messages were lost or duplicated (see above)');
});

async function soak(cleanup: Cleanup): Promise<void> {
  const postgres = await startPrivatePostgres();
  cleanup.add('stop PostgreSQL', () => postgres.close());
  const redis = await startPrivateRedis();
  cleanup.add('stop Redis', () => redis.close());
  const dovecot = await startDovecot();
  cleanup.add('stop Dovecot', () => dovecot.stop());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-soak-'));
  cleanup.add('remove data dir', () => rm(dataDir, { recursive: true, force: true }));

  const env = {
    ...loketChildEnv({ databaseUrl: postgres.url, dataDir, redisUrl: redis.url, prefix: '{loket-soak}' }),
    IMAP_URL: dovecot.imapUrl('loket'),
    // Every client is 127.0.0.1 here; the per-client limits are not what is soaked.
    WEBFORM_RATE_LIMIT_MAX: '100000000',
    CHAT_RATE_LIMIT: '1000000',
    CHAT_CONVERSATIONS_PER_HOUR: '100000000',
  };
  // chat.child fixes the office-hours clock inside opening hours, or a night run would only see the offline notice.
  const web = await startChild('chat.child', { ...env, ROLE: 'web' });
  cleanup.add('stop Loket web', () => web.stop());
  let worker = await startChild('chat.child', { ...env, ROLE: 'worker' });
  cleanup.add('stop Loket worker', () => worker.stop());
  const url = web.url!;
  log(`Loket at ${url}; ${MINUTES} min of ${RATES.webform} forms, ${RATES.email} mails and ${RATES.chat} chats per minute`);

  const items: Item[] = [];
  const chatDuplicates = { count: 0 };
  const memory: Array<{ at: number; web: number; worker: number }> = [];
  const sampleMemory = async () => {
    const [w, k] = await Promise.all([web.stats(), worker.stats()]);
    memory.push({ at: clock(), web: w.rss, worker: k.rss });
  };

  const start = clock();
  const end = start + MINUTES * 60_000;
  const senders = CHANNELS.map((channel) => {
    const send = channel === 'webform' ? formSender(url) : channel === 'email' ? mailSender(dovecot) : chatSender(url, chatDuplicates);
    return paced(channel, RATES[channel], end, items, send);
  });

  const faults = (async () => {
    await sleepUntil(start + FAULTS.redis * (end - start));
    log('fault: Redis stopped (it comes back empty)');
    await redis.stop();
    await sleep(OUTAGE_MS);
    await redis.start();
    log('fault: Redis started again');

    await sleepUntil(start + FAULTS.worker * (end - start));
    await sampleMemory();
    log(`fault: worker ${worker.pid} killed (SIGKILL)`);
    process.kill(worker.pid, 'SIGKILL');
    await sleep(2_000);
    worker = await startChild('chat.child', { ...env, ROLE: 'worker' });
    log(`fault: worker started again (${worker.pid})`);

    await sleepUntil(start + FAULTS.postgres * (end - start));
    log('fault: PostgreSQL stopped (immediate shutdown)');
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.start();
    log('fault: PostgreSQL started again');
  })();

  // Memory after a minute (pools, JIT and caches settled), then every minute.
  const sampler = (async () => {
    for (let at = start + 60_000; at < end; at += 60_000) {
      await sleepUntil(at);
      await sampleMemory().catch((err: unknown) => log(`memory sample failed: ${String(err)}`));
    }
  })();

  await Promise.all([...senders, faults, sampler]);
  await sampleMemory();
  log(`traffic stopped: ${items.length} messages, ${items.filter((i) => !i.accepted).length} never accepted; draining`);

  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  cleanup.add('close soak database pool', () => db.end());
  const accepted = items.filter((i) => i.accepted);
  let report = await account(db, dataDir, accepted, chatDuplicates.count);
  for (const drainEnd = clock() + DRAIN_MS; report.unfinished > 0 && clock() < drainEnd;) {
    await sleep(5_000);
    report = await account(db, dataDir, accepted, chatDuplicates.count);
  }
  await sampleMemory();
  print(report, memory, items);
  if (report.lost > 0 || report.duplicated > 0) process.exitCode = 1;
}

/** Starts one message per 60/rate seconds until `end`; a refused one is tried again after a second. */
async function paced(channel: ChannelName, perMinute: number, end: number, items: Item[], send: (item: Item) => Promise<boolean>): Promise<void> {
  const interval = 60_000 / perMinute;
  const pending = new Set<Promise<void>>();
  for (let n = 0, due = clock(); due < end; n += 1, due += interval) {
    await sleepUntil(due);
    const item: Item = { token: `${LETTER[channel]}${n}`, channel, firstTryAt: clock(), tries: 0, accepted: false };
    items.push(item);
    const attempt: Promise<void> = (async () => {
      while (!item.accepted && clock() < end) {
        item.tries += 1;
        item.accepted = await send(item).catch(() => false);
        if (!item.accepted) await sleep(RETRY_MS);
      }
    })().finally(() => pending.delete(attempt));
    pending.add(attempt);
  }
  await Promise.all(pending);
}

function formSender(url: string): (item: Item) => Promise<boolean> {
  const post = jsonPoster(`${url}/api/v1/webform`, 64);
  return async (item) => {
    const text = TEXTS[Number(item.token.slice(1)) % TEXTS.length]!;
    const { status } = await post({
      name: `Soak ${item.token}`,
      email: `${item.token}@soak.example`,
      subject: 'Vraag',
      message: `${text} [soak ${item.token}]`,
    });
    return status === 202;
  };
}

function mailSender(dovecot: Awaited<ReturnType<typeof startDovecot>>): (item: Item) => Promise<boolean> {
  return async (item) => {
    const raw = [
      `From: Soak ${item.token} <${item.token}@soak.example>`,
      'To: Contactcenter <loket@loket.test>',
      'Subject: Vraag over mijn salaris',
      `Message-ID: <soak-${item.token}@soak.example>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Goedemiddag,\r\n\r\n${TEXTS[Number(item.token.slice(1)) % TEXTS.length]} [soak ${item.token}]\r\n\r\nMet vriendelijke groet,\r\nSoak ${item.token}`,
      '',
    ].join('\r\n');
    const { accepted } = await dovecot.deliverLmtp('loket', raw, `${item.token}@soak.example`);
    return accepted.length > 0;
  };
}

/**
 * One conversation per item: start, send the line, wait for the automatic answer. When
 * the acknowledgement of the line is lost, the visitor resumes the conversation on a new
 * socket and sends the same client id again, as the widget does.
 */
function chatSender(url: string, duplicates: { count: number }): (item: Item) => Promise<boolean> {
  const tokens = new Map<string, string>();
  return async (item) => {
    const socket: Socket = io(`${url}${CHAT_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: CHAT_TIMEOUT_MS });
    const seen = new Set<string>();
    let answered: () => void = () => undefined;
    const answer = new Promise<void>((resolve) => (answered = resolve));
    socket.on('chat:message', (line: ChatLine) => {
      if (line.from !== 'system') return;
      if (seen.has(line.id)) duplicates.count += 1;
      seen.add(line.id);
      answered();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const emit = async <T extends object>(event: string, payload: unknown) =>
        (await socket.timeout(CHAT_TIMEOUT_MS).emitWithAck(event, payload)) as T | ErrorAck;
      const token = tokens.get(item.token);
      if (token) {
        const resumed = await emit<ResumeAck>('chat:resume', { token });
        if (!resumed.ok) return false;
        // The line arrived before its acknowledgement was lost: accepted, and maybe answered already.
        if (resumed.history.some((line) => line.from === 'visitor')) return true;
      } else {
        const started = await emit<StartAck>('chat:start', { name: `Soak ${item.token}`, topic: 'other', locale: 'nl' });
        if (!started.ok || !started.online) return false;
        tokens.set(item.token, started.token);
      }
      const text = TEXTS[Number(item.token.slice(1)) % TEXTS.length]!;
      const sent = await emit<{ ok: true }>('chat:message', { clientId: item.token, text: `${text} [soak ${item.token}]` });
      if (!sent.ok) return false;
      // The answer is counted from the database; waiting a little keeps the socket open for it.
      await Promise.race([answer, sleep(CHAT_TIMEOUT_MS)]);
      return true;
    } finally {
      socket.close();
    }
  };
}

interface ChannelFigures {
  in: number;
  stored: number;
  out: number;
  lost: number;
  duplicated: number;
  latencies: number[];
}

interface Report {
  channels: Record<ChannelName, ChannelFigures>;
  lost: number;
  duplicated: number;
  /** Accepted but not yet answered: what draining waits for. */
  unfinished: number;
}

/** Joins what the clients had accepted with what Loket stored and sent. */
async function account(db: pg.Pool, dataDir: string, accepted: Item[], chatLinesSeenTwice: number): Promise<Report> {
  const { rows } = await db.query<{ token: string; stored: number; answers: number; sent_at: number | null }>(
    `
    select substring(m.text from '\\[soak ([a-z][0-9]+)\\]') as token,
           count(distinct m.id)::int as stored,
           count(o.id)::int as answers,
           min(extract(epoch from o.sent_at) * 1000)::float8 as sent_at
      from messages m
      left join outbox o on o.message_id = m.id and o.status = 'sent' and o.kind in ('acknowledgement', $1)
     where m.text like '%[soak %'
     group by 1`,
    [CHAT_REDIRECT_KIND],
  );
  const byToken = new Map(rows.map((row) => [row.token, row]));
  const mailsPerRecipient = await acknowledgementFiles(dataDir);

  const channels = Object.fromEntries(CHANNELS.map((c) => [c, { in: 0, stored: 0, out: 0, lost: 0, duplicated: 0, latencies: [] as number[] }])) as Record<
    ChannelName,
    ChannelFigures
  >;
  let unfinished = 0;
  for (const item of accepted) {
    const figures = channels[item.channel];
    const row = byToken.get(item.token);
    figures.in += 1;
    if (row) figures.stored += 1;
    if (row && row.answers > 0 && row.sent_at !== null) {
      figures.out += 1;
      figures.latencies.push(row.sent_at - item.firstTryAt);
    } else {
      figures.lost += 1;
      unfinished += 1;
    }
    if (row && (row.stored > 1 || row.answers > row.stored)) figures.duplicated += 1;
    if ((mailsPerRecipient.get(`${item.token}@soak.example`) ?? 0) > 1) figures.duplicated += 1;
  }
  // Tokens nobody accepted but Loket stored twice are duplicates too (a retry after an unanswered 202).
  const acceptedTokens = new Set(accepted.map((i) => i.token));
  for (const row of rows) {
    const channel = CHANNELS.find((c) => LETTER[c] === row.token[0]);
    if (channel && row.stored > 1 && !acceptedTokens.has(row.token)) channels[channel].duplicated += 1;
  }
  channels.chat.duplicated += chatLinesSeenTwice;
  const sum = (key: 'lost' | 'duplicated') => CHANNELS.reduce((total, c) => total + channels[c][key], 0);
  return { channels, lost: sum('lost'), duplicated: sum('duplicated'), unfinished };
}

/** How many mails the .eml folder holds per recipient (answers leave as files: SMTP_URL is unset). */
async function acknowledgementFiles(dataDir: string): Promise<Map<string, number>> {
  const folder = path.join(dataDir, 'outbox');
  const counts = new Map<string, number>();
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.eml'))) {
    const head = (await readFile(path.join(folder, name), 'utf8')).split(/\r?\n\r?\n/, 1)[0] ?? '';
    const to = /^To: .*?<?([^\s<>]+@soak\.example)>?\s*$/im.exec(head)?.[1]?.toLowerCase();
    if (to) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

function print(report: Report, memory: Array<{ web: number; worker: number }>, items: Item[]): void {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : '-');
  process.stdout.write('\nchannel   in     stored out    lost dup  retried  p50       p99\n');
  for (const channel of CHANNELS) {
    const f = report.channels[channel];
    const sorted = [...f.latencies].sort((a, b) => a - b);
    const retried = items.filter((i) => i.channel === channel && i.tries > 1).length;
    process.stdout.write(
      `${channel.padEnd(9)} ${String(f.in).padEnd(6)} ${String(f.stored).padEnd(6)} ${String(f.out).padEnd(6)} ${String(f.lost).padEnd(4)} ${String(f.duplicated).padEnd(4)} ${String(retried).padEnd(8)} ${ms(percentile(sorted, 50)).padEnd(9)} ${ms(percentile(sorted, 99))}\n`,
    );
  }
  const first = memory[0];
  const last = memory.at(-1);
  if (first && last) {
    process.stdout.write(
      `\nRSS web ${mb(first.web)} → ${mb(last.web)}; worker ${mb(first.worker)} → ${mb(last.worker)} (the worker restarted after its SIGKILL)\n`,
    );
    process.stdout.write(
      `RSS per minute (web/worker MB): ${memory.map((m) => `${Math.round(m.web / 1048576)}/${Math.round(m.worker / 1048576)}`).join(' ')}\n`,
    );
  }
  process.stdout.write(`\nlost ${report.lost}, duplicated ${report.duplicated}: ${report.lost + report.duplicated === 0 ? 'PASS' : 'FAIL'}\n`);
}

async function sleepUntil(at: number): Promise<void> {
  const wait = at - clock();
  if (wait > 0) await sleep(wait);
}
