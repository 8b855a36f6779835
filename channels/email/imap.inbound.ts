import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { Intake, PreparedMessage } from '../../src/intake.js';
import { MailboxLock } from './mailbox.lock.js';
import { batches } from './imap.batches.js';
import { parseImapUrl, type MailboxAddress } from './imap.address.js';
import type { MailboxStore } from './mailbox.store.js';
import { normalizeMessageId, parseMail, UnparseableMailError } from './email.parse.js';
import { refusalFor } from './refusal.js';
import { TransientError } from '../../src/errors.js';

export interface ImapInboundOptions {
  url: string;
  /** `move:<folder>`, `flag` or `delete`: what happens to a mail once intake committed it. */
  after: string;
  pollSeconds: number;
  maxBytes: number;
  messageTimeoutMs: number;
  store: MailboxStore;
  redis: Redis;
  lockPrefix: string;
  log: Logger;
}

/** What one connection's events tell its read loop. */
interface SessionState {
  closed: boolean;
  newMail: boolean;
  lockLost: boolean;
}

/** How long a reader's lock outlives its last renewal: a dead reader's mailbox is taken over after at most this. */
const LOCK_TTL_MS = 10_000;
const STANDBY_POLL_MS = 1_000;

/** Capped exponential backoff with full jitter: 1 s, 2 s, 4 s … at most 60 s. */
const backoffMs = (attempt: number) => Math.random() * Math.min(60_000, 1_000 * 2 ** attempt);

/**
 * Reads one IMAP mailbox: IDLE for new mail (polling where the server has no IDLE),
 * resume from the stored UIDVALIDITY + last UID, reconnect with backoff, one reader
 * per mailbox across processes. A mail is marked (moved, flagged or deleted) only
 * after intake committed it.
 */
export class ImapInbound {
  private readonly mailbox: MailboxAddress;
  private readonly lock: MailboxLock;
  private intake: Intake | undefined;
  private client: ImapFlow | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly failures = new Map<number, number>();

  constructor(private readonly options: ImapInboundOptions) {
    this.mailbox = parseImapUrl(options.url);
    this.lock = new MailboxLock(options.redis, `${options.lockPrefix}:imap-lock:${this.mailbox.key}`, LOCK_TTL_MS);
  }

  get key(): string {
    return this.mailbox.key;
  }

  start(intake: Intake): void {
    this.intake = intake;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.client?.logout().catch(() => this.client?.close());
    await this.running;
  }

  private async run(): Promise<void> {
    const log = this.options.log;
    let attempt = 0;
    while (!this.stopped) {
      if (!(await this.lock.acquire().catch(() => false))) {
        // Standby: another process reads this mailbox. Asking every second (one Redis call)
        // takes over within a second of its lock expiring.
        await this.nap(STANDBY_POLL_MS);
        continue;
      }
      log.info({ mailbox: this.mailbox.key }, 'reading mailbox');
      try {
        await this.session(() => (attempt = 0));
      } catch (err) {
        log.warn({ err, mailbox: this.mailbox.key, attempt }, 'mailbox session ended');
      } finally {
        this.client?.close();
        this.client = undefined;
      }
      if (!this.stopped) await this.nap(backoffMs(attempt++));
    }
    await this.lock.release().catch(() => undefined);
  }

  /** One connection, from connect to close; `connected` is called once the mailbox is open. */
  private async session(connected: () => void): Promise<void> {
    const { host, port, secure, user, pass } = this.mailbox;
    // IDLE as soon as the connection is free (imapflow's default waits 15 s), so new mail
    // is noticed within a round trip rather than on the next check.
    const client = new ImapFlow({ host, port, secure, auth: { user, pass }, logger: false, emitLogs: false, autoIdleDelay: 250 });
    this.client = client;
    const state: SessionState = { closed: false, newMail: true, lockLost: false };
    client.on('error', (err) => this.options.log.warn({ err, mailbox: this.mailbox.key }, 'imap error'));
    client.on('close', () => {
      state.closed = true;
      this.wake?.();
    });
    client.on('exists', () => {
      state.newMail = true;
      this.wake?.();
    });
    // The lock is renewed on a timer of its own, so neither a slow download nor a long
    // backlog outlives it; a lock found lost (another process has the mailbox) ends the session.
    const heartbeat = setInterval(() => {
      this.lock.renew().then(
        (held) => {
          if (held) return;
          state.lockLost = true;
          client.close();
        },
        () => undefined, // Redis away: try again on the next beat; the TTL decides
      );
    }, this.lock.ttlMs / 3);
    try {
      await this.read(client, state, connected);
    } finally {
      clearInterval(heartbeat);
    }
    if (state.lockLost) throw new Error('mailbox lock lost');
  }

  /** Opens the mailbox and drains it on new mail (IDLE) or every poll interval, until the connection ends. */
  private async read(client: ImapFlow, state: SessionState, connected: () => void): Promise<void> {
    await client.connect();
    const opened = await client.mailboxOpen(this.mailbox.path);
    const uidValidity = Number(opened.uidValidity);
    connected();
    const idle = client.capabilities.has('IDLE');
    if (!idle) this.options.log.info({ mailbox: this.mailbox.key, pollSeconds: this.options.pollSeconds }, 'server has no IDLE; polling');
    const destination = await this.prepareDestination(client);

    let drainedAt = 0;
    const pollMs = this.options.pollSeconds * 1_000;
    while (!this.stopped && !state.closed) {
      // Drain on new mail, and now and then anyway: a missed notification costs one poll interval.
      if (state.newMail || Date.now() - drainedAt >= pollMs) {
        state.newMail = false;
        await this.drain(client, uidValidity, destination);
        drainedAt = Date.now();
      }
      // imapflow IDLEs while we wait and 'exists' wakes us; without IDLE, NOOP asks instead.
      await this.nap(Math.min(pollMs, this.lock.ttlMs));
      if (!idle && !state.closed && !this.stopped && Date.now() - drainedAt >= pollMs) await client.noop();
    }
  }

  /**
   * Everything after the last stored UID, in UID order and in batches: one FETCH of the
   * sources, intake in parallel, then one MOVE (or flag, or delete) of the batch and the
   * new last UID. Nothing is marked before intake committed it.
   */
  private async drain(client: ImapFlow, uidValidity: number, destination: string | undefined): Promise<void> {
    const state = await this.options.store.state(this.mailbox.key);
    // A new UIDVALIDITY means the UIDs we stored mean nothing now: scan all, intake dedupes.
    const lastUid = state && state.uidValidity === uidValidity ? state.lastUid : 0;
    if (state && state.uidValidity !== uidValidity) {
      this.options.log.warn({ mailbox: this.mailbox.key, was: state.uidValidity, now: uidValidity }, 'UIDVALIDITY changed; rescanning');
    }
    const pending: FetchMessageObject[] = [];
    for await (const meta of client.fetch(`${lastUid + 1}:*`, { uid: true, envelope: true, size: true, internalDate: true }, { uid: true })) {
      if (meta.uid > lastUid) pending.push(meta);
    }
    pending.sort((a, b) => a.uid - b.uid);
    for (const batch of batches(pending)) {
      if (this.stopped) return;
      const uids = batch.map((meta) => meta.uid);
      await this.takeInBatch(client, batch);
      await this.markTaken(client, uids.join(','), destination);
      await this.options.store.advance(this.mailbox.key, uidValidity, uids[uids.length - 1]!);
    }
  }

  /** Stores a batch through intake (or quarantine); throws only on trouble worth a reconnect. */
  private async takeInBatch(client: ImapFlow, batch: FetchMessageObject[]): Promise<void> {
    const ids = batch.map((meta) => normalizeMessageId(meta.envelope?.messageId));
    const known = await this.options.store.knownMessageIds(this.mailbox.key, ids.filter((id): id is string => !!id));
    const wanted = batch.filter((meta, i) => !(ids[i] && known.has(ids[i]!)));
    const oversized = wanted.filter((meta) => (meta.size ?? 0) > this.options.maxBytes);
    for (const meta of oversized) await this.refuse(client, meta);
    const small = wanted.filter((meta) => (meta.size ?? 0) <= this.options.maxBytes);
    const sources = await this.fetchSources(client, small.map((meta) => meta.uid));
    const ready: { prepared: PreparedMessage; raw: Buffer; uid: number }[] = [];
    for (const meta of small) {
      // Gone between the listing and the download (expunged by someone else): nothing to take.
      const raw = sources.get(meta.uid);
      if (!raw) continue;
      const prepared = await this.prepare(meta, raw);
      if (prepared) ready.push({ prepared, raw, uid: meta.uid });
    }
    const accepted = await this.intakeOrThrow().acceptMany(ready);
    accepted.forEach((result, i) =>
      this.options.log.info({ channel: 'email', mailbox: this.mailbox.key, uid: ready[i]!.uid, messageId: result.messageId, duplicate: result.duplicate }, 'mail taken in'),
    );
  }

  /** Parses a mail and checks it against the message schema; what fails goes to quarantine. */
  private async prepare(meta: FetchMessageObject, raw: Buffer): Promise<PreparedMessage | undefined> {
    const receivedAt = meta.internalDate ? new Date(meta.internalDate) : new Date();
    try {
      const parsed = await parseMail(raw, receivedAt);
      return this.intakeOrThrow().prepare(parsed.message, parsed.files);
    } catch (err) {
      if (!(err instanceof UnparseableMailError) && !(err instanceof ZodError)) throw err;
      const externalId = normalizeMessageId(meta.envelope?.messageId) ?? `uid:${meta.uid}`;
      await this.options.store.quarantine({ source: this.mailbox.key, externalId, reason: err instanceof ZodError ? 'invalid' : 'unparseable', error: err.message, raw, size: raw.byteLength });
      this.options.log.warn({ err, channel: 'email', uid: meta.uid }, 'mail quarantined; raw kept');
      return undefined;
    }
  }

  /** A mail over the size limit: never downloaded; its headers are kept and the sender told. */
  private async refuse(client: ImapFlow, meta: FetchMessageObject): Promise<void> {
    const size = meta.size ?? 0;
    const receivedAt = meta.internalDate ? new Date(meta.internalDate) : new Date();
    const headers = (await this.fetchPart(client, meta.uid, { headers: true }))?.headers ?? Buffer.alloc(0);
    const refusal = await refusalFor(headers, size, this.options.maxBytes, receivedAt);
    await this.options.store.quarantine({ source: this.mailbox.key, externalId: refusal.message.externalId, reason: 'too-large', headers: headers.toString('utf8'), size });
    await this.intakeOrThrow().accept(refusal.message, [], { raw: headers });
    this.options.log.warn({ channel: 'email', uid: meta.uid, size, limit: this.options.maxBytes }, 'mail over the size limit refused; sender told');
  }

  /**
   * The sources of a batch in one streamed FETCH, within the per-message deadline. A batch
   * that failed before is fetched mail by mail, so one bad mail cannot hold up the rest.
   */
  private async fetchSources(client: ImapFlow, uids: number[]): Promise<Map<number, Buffer>> {
    const sources = new Map<number, Buffer>();
    if (uids.length === 0) return sources;
    const first = uids[0]!;
    if ((this.failures.get(first) ?? 0) >= 1) {
      for (const uid of uids) {
        const source = (await this.fetchPart(client, uid, { source: true }))?.source;
        if (source) sources.set(uid, source);
      }
      return sources;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`batch from uid ${first} not fetched in time`)), this.options.messageTimeoutMs);
    });
    const fetchAll = async () => {
      for await (const message of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
        if (message.source) sources.set(message.uid, message.source);
      }
    };
    try {
      await Promise.race([fetchAll(), deadline]);
      return sources;
    } catch (err) {
      this.failures.set(first, (this.failures.get(first) ?? 0) + 1);
      throw err; // reconnect; the next attempt goes mail by mail
    } finally {
      clearTimeout(timer);
    }
  }

  private intakeOrThrow(): Intake {
    if (!this.intake) throw new Error('started without intake');
    return this.intake;
  }

  /** A download with a deadline; a mail that times out three times is quarantined by its headers. */
  private async fetchPart(client: ImapFlow, uid: number, query: { source?: boolean; headers?: boolean }) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`mail ${uid} not fetched within ${this.options.messageTimeoutMs} ms`)), this.options.messageTimeoutMs);
    });
    try {
      return (await Promise.race([client.fetchOne(String(uid), query, { uid: true }), deadline])) || undefined;
    } catch (err) {
      const failures = (this.failures.get(uid) ?? 0) + 1;
      this.failures.set(uid, failures);
      if (failures < 3) throw err; // reconnect and try again
      this.options.log.error({ err, uid }, 'mail cannot be fetched; quarantined');
      await this.options.store.quarantine({ source: this.mailbox.key, externalId: `uid:${uid}`, reason: 'unparseable', error: String(err) });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private async prepareDestination(client: ImapFlow): Promise<string | undefined> {
    if (!this.options.after.startsWith('move:')) return undefined;
    const folder = this.options.after.slice('move:'.length);
    const exists = (await client.list()).some((box) => box.path === folder);
    if (!exists) await client.mailboxCreate(folder);
    return folder;
  }

  /**
   * Moves, deletes or flags a batch that intake committed. imapflow reports a failed
   * command (a NO, or a connection that closed under it) by returning false or undefined
   * instead of throwing: that must end the session before the stored last UID passes
   * the batch, or its mails would stay in the inbox, never marked.
   */
  private async markTaken(client: ImapFlow, range: string, destination: string | undefined): Promise<void> {
    const done = destination
      ? await client.messageMove(range, destination, { uid: true })
      : this.options.after === 'delete'
        ? await client.messageDelete(range, { uid: true })
        : await client.messageFlagsAdd(range, ['\\Seen', '$LoketVerwerkt'], { uid: true });
    if (!done) throw new TransientError(`marking uids ${range} as taken failed`, 'IMAP_MARK_FAILED');
  }

  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
