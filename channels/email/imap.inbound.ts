import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { Intake, PreparedMessage } from '../../src/intake.js';
import { MailboxLock } from './mailbox.lock.js';
import { batches } from './imap.batches.js';
import { parseImapUrl, type MailboxAddress } from './imap.address.js';
import type { MailboxStore } from './mailbox.store.js';
import { mailExternalId, parseMail, UnparseableMailError } from './email.parse.js';
import { refusalFor } from './refusal.js';
import { TransientError } from '../../src/errors.js';
import type { ChannelStatus } from '../../src/channel-status.js';
import { reconnectDelayMs } from './imap.backoff.js';
import { mailboxStepError, MailboxRefusedError } from './imap.failure.js';
import { serverFolderPath } from './imap.folder.js';

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
  /** The longest wait between attempts while the server refuses the mailbox (login, mailbox, folder). */
  refusedRetryCapMs: number;
  status: ChannelStatus;
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
/** The keyword IMAP_AFTER=flag sets on a mail once intake committed it. */
const TAKEN_FLAG = '$LoketVerwerkt';

/** After a lost connection: 1 s, 2 s, 4 s … at most a minute. */
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_CAP_MS = 60_000;
/** After the server refused the mailbox: 2 s, 4 s, 8 s … up to the configured cap. */
const REFUSED_FIRST_MS = 2_000;

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
        this.report('standby');
        await this.nap(STANDBY_POLL_MS);
        continue;
      }
      if (attempt === 0) log.info({ mailbox: this.mailbox.key }, 'reading mailbox');
      let refused = false;
      try {
        await this.session(() => {
          attempt = 0;
          this.report('up');
        });
      } catch (err) {
        refused = err instanceof MailboxRefusedError;
        if (refused) this.refused(err as MailboxRefusedError, attempt);
        else log.warn({ err, mailbox: this.mailbox.key, attempt }, 'mailbox session ended');
      } finally {
        this.client?.close();
        this.client = undefined;
      }
      if (this.stopped) break;
      const delay = refused
        ? reconnectDelayMs(attempt, REFUSED_FIRST_MS, this.options.refusedRetryCapMs)
        : reconnectDelayMs(attempt, RECONNECT_FIRST_MS, Math.min(RECONNECT_CAP_MS, this.options.refusedRetryCapMs));
      attempt++;
      // The lock stays ours while we wait: a standby process would otherwise take the
      // mailbox over at once and start the backoff again from its first step.
      await this.napHoldingLock(delay);
    }
    this.report('standby');
    await this.lock.release().catch(() => undefined);
  }

  /** The server refuses the mailbox: one error line when that starts or its answer changes, quiet retries after. */
  private refused(err: MailboxRefusedError, attempt: number): void {
    const problem = err.serverAnswer ? `${err.message}: ${err.serverAnswer}` : err.message;
    if (this.report('down', problem)) {
      this.options.log.error(
        { mailbox: this.mailbox.key, setting: err.setting, serverAnswer: err.serverAnswer, code: err.code },
        `mail channel down: ${problem}; fix ${err.setting} or the server, mails stay in the inbox untouched`,
      );
    } else {
      this.options.log.debug({ mailbox: this.mailbox.key, code: err.code, attempt }, 'mailbox still refused');
    }
  }

  /** Reports this reader's state; logs when the mail channel comes (back) up. */
  private report(state: 'up' | 'down' | 'standby', problem?: string): boolean {
    const changed = this.options.status.report('email', this.mailbox.key, state, problem);
    if (changed && state === 'up') this.options.log.info({ mailbox: this.mailbox.key }, 'mail channel up');
    return changed;
  }

  private async napHoldingLock(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) {
      await this.nap(Math.min(until - Date.now(), this.lock.ttlMs / 3));
      if (!(await this.lock.renew().catch(() => true))) return; // taken over meanwhile: the loop stands by
    }
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
    await client.connect().catch((err: unknown) => {
      throw mailboxStepError(err, 'login', this.mailbox.user);
    });
    const opened = await client.mailboxOpen(this.mailbox.path).catch((err: unknown) => {
      throw mailboxStepError(err, 'open', this.mailbox.path);
    });
    const uidValidity = Number(opened.uidValidity);
    const destination = await this.prepareDestination(client);
    // Only now is the mailbox usable: a server that refuses the move folder has not connected us.
    connected();
    const idle = client.capabilities.has('IDLE');
    if (!idle) this.options.log.info({ mailbox: this.mailbox.key, pollSeconds: this.options.pollSeconds }, 'server has no IDLE; polling');

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
    let highest = lastUid;
    for await (const meta of client.fetch(`${lastUid + 1}:*`, { uid: true, envelope: true, size: true, internalDate: true, flags: true }, { uid: true })) {
      if (meta.uid <= lastUid) continue; // `n:*` always returns the last mail, even below n
      highest = Math.max(highest, meta.uid);
      // Flagged by us once an earlier intake committed it (IMAP_AFTER=flag, seen again on a rescan).
      if (!meta.flags?.has(TAKEN_FLAG)) pending.push(meta);
    }
    pending.sort((a, b) => a.uid - b.uid);
    for (const batch of batches(pending)) {
      if (this.stopped) return;
      const uids = batch.map((meta) => meta.uid);
      await this.takeInBatch(client, batch);
      await this.markTaken(client, uids.join(','), destination);
      await this.options.store.advance(this.mailbox.key, uidValidity, uids[uids.length - 1]!);
    }
    // Mails skipped as taken already need not be listed again on every drain.
    const lastTaken = pending.at(-1)?.uid ?? lastUid;
    if (highest > lastTaken) await this.options.store.advance(this.mailbox.key, uidValidity, highest);
  }

  /** Stores a batch through intake (or quarantine); throws only on trouble worth a reconnect. */
  private async takeInBatch(client: ImapFlow, batch: FetchMessageObject[]): Promise<void> {
    // Every mail is downloaded, even one whose Message-ID is stored already: only its bytes
    // tell a redelivery (stored once by intake) from another mail reusing the id.
    const oversized = batch.filter((meta) => (meta.size ?? 0) > this.options.maxBytes);
    for (const meta of oversized) await this.refuse(client, meta);
    const small = batch.filter((meta) => (meta.size ?? 0) <= this.options.maxBytes);
    const sources = await this.fetchSources(
      client,
      small.map((meta) => meta.uid),
    );
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
      this.options.log.info(
        { channel: 'email', mailbox: this.mailbox.key, uid: ready[i]!.uid, messageId: result.messageId, duplicate: result.duplicate },
        'mail taken in',
      ),
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
      const externalId = mailExternalId(meta.envelope?.messageId, raw);
      await this.options.store.quarantine({
        source: this.mailbox.key,
        externalId,
        reason: err instanceof ZodError ? 'invalid' : 'unparseable',
        error: err.message,
        raw,
        size: raw.byteLength,
      });
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
    await this.options.store.quarantine({
      source: this.mailbox.key,
      externalId: refusal.message.externalId,
      reason: 'too-large',
      headers: headers.toString('utf8'),
      size,
    });
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

  /**
   * The move folder by the server's own name (IMAP_AFTER is written with "/"; NAMESPACE gives
   * the delimiter and prefix), created when missing. Throws MailboxRefusedError when the
   * server will not have it.
   */
  private async prepareDestination(client: ImapFlow): Promise<string | undefined> {
    if (!this.options.after.startsWith('move:')) return undefined;
    const written = this.options.after.slice('move:'.length);
    try {
      const namespace = client.namespace ?? { prefix: '', delimiter: '/' };
      const folder = serverFolderPath(written, { prefix: namespace.prefix ?? '', delimiter: namespace.delimiter ?? '' });
      const exists = (await client.list()).some((box) => box.path === folder);
      if (!exists) await client.mailboxCreate(folder);
      return folder;
    } catch (err) {
      throw mailboxStepError(err, 'folder', written);
    }
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
        : await client.messageFlagsAdd(range, ['\\Seen', TAKEN_FLAG], { uid: true });
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
