import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { dovecotAccounts, dovecotConf, FOLDER_LAYOUTS, passwdFile, paths, type FolderLayout } from './dovecot.config.js';
import { DovecotExitedError, DovecotProcess, HOST, freePort, waitUntil } from './dovecot.process.js';
import { sleep } from './wait.js';

const DOVEADM = process.env['DOVEADM_BIN'] ?? '/usr/bin/doveadm';

/** The mailbox Loket reads (`loket`) and a few citizens who write to it. */
export const DEFAULT_USERS: Readonly<Record<string, string>> = {
  loket: 'loket-secret',
  jan: 'jan-secret',
  piet: 'piet-secret',
  klaas: 'klaas-secret',
};

export interface DovecotOptions {
  /** name → plaintext password; defaults to DEFAULT_USERS. */
  users?: Record<string, string>;
  /** How long start-up (and each restart) may take before it fails. */
  startTimeoutMs?: number;
  /** How folders are named; defaults to Debian's stock maildir ("." between levels). */
  folders?: FolderLayout;
}

export interface ListedMessage {
  uid: number;
  /** Stored flags, without the session-only \Recent. */
  flags: string[];
  raw: string;
  /** Header values by lower-case name, unfolded, first occurrence, not MIME-decoded. */
  headers: Record<string, string>;
  subject: string | undefined;
  messageId: string | undefined;
}

export interface MailboxStatus {
  uidValidity: bigint;
  uidNext: number;
  messages: number;
}

export interface PrivateDovecot {
  host: string;
  imapPort: number;
  lmtpPort: number;
  users: Readonly<Record<string, string>>;
  folders: FolderLayout;
  /**
   * The server's own name of a folder written with "/" ("Loket/Verwerkt" → "Loket.Verwerkt"
   * on maildir). Every method below that takes a mailbox takes it written with "/".
   */
  folder(path: string): string;
  /** The temp dir holding config, maildirs, sockets and the log. */
  dir: string;
  imapUrl(user: string, mailbox?: string): string;
  lmtpUrl: string;
  /** An ImapFlow logged in as `user` (no logging, bounded timeouts); the caller logs out. */
  connect(user: string, options?: { disableAutoIdle?: boolean }): Promise<ImapFlow>;
  /** IMAP APPEND; resolves with the UID (UIDPLUS) and the mailbox's UIDVALIDITY. */
  append(user: string, raw: string | Buffer, mailbox?: string, flags?: string[]): Promise<{ uid: number; uidValidity: bigint }>;
  /** Real delivery through LMTP; `to` is a user name or name@anything. Throws when no recipient is accepted. */
  deliverLmtp(to: string | string[], raw: string | Buffer, from?: string): Promise<{ accepted: string[]; rejected: string[] }>;
  listMessages(user: string, mailbox?: string): Promise<ListedMessage[]>;
  mailboxStatus(user: string, mailbox?: string): Promise<MailboxStatus>;
  waitForMessage(user: string, predicate: (m: ListedMessage) => boolean, options?: { mailbox?: string; timeoutMs?: number }): Promise<ListedMessage>;
  /**
   * Gives the mailbox a new UIDVALIDITY. Other mailboxes are deleted and created again; INBOX
   * cannot be deleted, so it is emptied and doveadm sets a new UIDVALIDITY. With
   * `keepMessages` the old messages are appended again (new UIDs, same Message-IDs), as after
   * a server-side rebuild. Throws unless the UIDVALIDITY really changed.
   */
  recreateMailbox(user: string, mailbox: string, options?: { keepMessages?: boolean }): Promise<{ before: bigint | undefined; after: bigint }>;
  /** Stops Dovecot (SIGTERM, or SIGKILL with `hard`) keeping data and ports; clients are cut off. */
  halt(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again after halt(), same data and ports. */
  resume(): Promise<void>;
  /** halt() + optional pause + resume(). */
  restart(options?: { hard?: boolean; downForMs?: number }): Promise<void>;
  /** Kills Dovecot and removes the temp dir. */
  stop(): Promise<void>;
  /** Dovecot's log file plus anything the master wrote to stdout/stderr: for failure messages. */
  readLog(): string;
}

/**
 * Starts a private Dovecot (IMAP + LMTP on free loopback ports, passwd-file users, maildirs)
 * as a foreground child with a config generated into a temp dir. Resolves once both ports
 * greet.
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<PrivateDovecot> {
  const users = { ...(options.users ?? DEFAULT_USERS) };
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const folders = options.folders ?? 'maildir';
  const { prefix, separator } = FOLDER_LAYOUTS[folders];
  const folder = (mailbox: string) => (mailbox.toUpperCase() === 'INBOX' ? 'INBOX' : prefix + mailbox.split('/').join(separator));
  const accounts = dovecotAccounts();
  const dir = mkdtempSync(path.join(tmpdir(), 'loket-dovecot-'));
  const p = paths(dir);
  chmodSync(dir, 0o711); // the mail processes (nobody, when we are root) must reach their maildirs
  mkdirSync(p.run);
  mkdirSync(p.state);
  mkdirSync(p.mail);
  if (userInfo().uid === 0) chownSync(p.mail, accounts.mailUid, accounts.mailGid);

  let server: DovecotProcess;
  let imapPort = 0;
  let lmtpPort = 0;
  // A free port can be taken between asking and binding: pick new ones and try again.
  for (let attempt = 1; ; attempt++) {
    imapPort = await freePort();
    lmtpPort = await freePort();
    const layout = { dir, imapPort, lmtpPort, users, folders };
    try {
      writeFileSync(p.passwd, passwdFile(layout, accounts), { mode: 0o644 });
      writeFileSync(p.config, dovecotConf(layout, accounts), { mode: 0o644 });
      rmSync(p.log, { force: true }); // a failed attempt's lines would only confuse
      server = new DovecotProcess(p.config, p.log, p.run);
      await server.start(imapPort, lmtpPort, startTimeoutMs);
      break;
    } catch (err) {
      if (attempt < 3 && err instanceof DovecotExitedError && /address already in use/i.test(err.message)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const halt = ({ hard = false } = {}) => server.halt({ hard, ports: [imapPort, lmtpPort] });
  const resume = () => server.start(imapPort, lmtpPort, startTimeoutMs);

  const connectAs = async (user: string, { disableAutoIdle = true } = {}) => {
    const password = users[user];
    if (password === undefined) throw new Error(`dovecot: no user ${user}`);
    const client = new ImapFlow({
      host: HOST,
      port: imapPort,
      secure: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 30_000,
    });
    client.on('error', () => undefined); // surfaced by the command that fails
    await client.connect();
    return client;
  };

  const withClient = async <T>(user: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = await connectAs(user);
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const fetchAll = async (client: ImapFlow, mailbox: string): Promise<ListedMessage[]> => {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true });
    try {
      if (client.mailbox === false || client.mailbox.exists === 0) return [];
      const fetched = await client.fetchAll('1:*', { uid: true, flags: true, source: true });
      return fetched.map((m) => toListed(m.uid, m.flags, m.source));
    } finally {
      lock.release();
    }
  };

  const statusOf = async (client: ImapFlow, mailbox: string): Promise<MailboxStatus> => {
    const status = await client.status(mailbox, { uidValidity: true, uidNext: true, messages: true });
    if (!status || status.uidValidity === undefined) throw new Error(`dovecot: no STATUS for ${mailbox}`);
    return { uidValidity: status.uidValidity, uidNext: status.uidNext ?? 0, messages: status.messages ?? 0 };
  };

  const dovecot: PrivateDovecot = {
    host: HOST,
    imapPort,
    lmtpPort,
    users,
    folders,
    folder,
    dir,
    imapUrl: (user, mailbox = 'INBOX') =>
      `imap://${encodeURIComponent(user)}:${encodeURIComponent(users[user] ?? '')}@${HOST}:${imapPort}/${folder(mailbox).split('/').map(encodeURIComponent).join('/')}`,
    lmtpUrl: `lmtp://${HOST}:${lmtpPort}`,
    connect: connectAs,
    append: (user, raw, mailbox = 'INBOX', flags = []) =>
      withClient(user, async (client) => {
        const result = await client.append(folder(mailbox), raw, flags);
        if (!result || result.uid === undefined || result.uidValidity === undefined) throw new Error(`dovecot: APPEND to ${mailbox} returned no APPENDUID`);
        return { uid: result.uid, uidValidity: result.uidValidity };
      }),
    deliverLmtp: async (to, raw, from = 'burger@example.nl') => {
      const transport = nodemailer.createTransport({
        host: HOST,
        port: lmtpPort,
        lmtp: true,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 5_000,
        greetingTimeout: 5_000,
        socketTimeout: 15_000,
      });
      try {
        const info = await transport.sendMail({ envelope: { from, to: ([] as string[]).concat(to) }, raw });
        return { accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
      } finally {
        transport.close();
      }
    },
    listMessages: (user, mailbox = 'INBOX') => withClient(user, (client) => fetchAll(client, folder(mailbox))),
    mailboxStatus: (user, mailbox = 'INBOX') => withClient(user, (client) => statusOf(client, folder(mailbox))),
    waitForMessage: (user, predicate, { mailbox = 'INBOX', timeoutMs = 15_000 } = {}) =>
      waitUntil(async () => (await dovecot.listMessages(user, mailbox)).find(predicate), `a message in ${user}/${mailbox}`, timeoutMs, 200),
    recreateMailbox: (user, path, { keepMessages = false } = {}) =>
      withClient(user, async (client) => {
        const mailbox = folder(path);
        const exists = (await client.list()).some((m) => m.path === mailbox);
        const before = exists ? (await statusOf(client, mailbox)).uidValidity : undefined;
        const kept = keepMessages && exists ? await fetchAll(client, mailbox) : [];
        if (mailbox.toUpperCase() === 'INBOX') {
          const lock = await client.getMailboxLock('INBOX');
          try {
            if (client.mailbox !== false && client.mailbox.exists > 0) await client.messageDelete('1:*');
          } finally {
            lock.release();
          }
          await client.mailboxClose().catch(() => undefined);
          const next = before === undefined || before >= 0xffffffffn ? 1n : before + 1n;
          await doveadm(p.config, ['mailbox', 'update', '-u', user, '--uid-validity', String(next), 'INBOX']);
        } else {
          if (exists) await client.mailboxDelete(mailbox);
          await client.mailboxCreate(mailbox);
        }
        for (const m of kept) await client.append(mailbox, m.raw, m.flags);
        const after = (await statusOf(client, mailbox)).uidValidity;
        if (before !== undefined && after === before) throw new Error(`dovecot: UIDVALIDITY of ${user}/${mailbox} did not change (${after})`);
        return { before, after };
      }),
    halt,
    resume,
    restart: async ({ hard = false, downForMs = 0 } = {}) => {
      await halt({ hard });
      if (downForMs > 0) await sleep(downForMs);
      await resume();
    },
    stop: async () => {
      await server.halt({ hard: true });
      rmSync(dir, { recursive: true, force: true });
    },
    readLog: () => server.readLog(),
  };
  return dovecot;
}

function toListed(uid: number, flags: Set<string> | undefined, source: Buffer | undefined): ListedMessage {
  const raw = source?.toString('utf8') ?? '';
  const headerBlock = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of headerBlock.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  // \Recent belongs to one IMAP session (whoever selected first); it is noise in a listing.
  return { uid, flags: [...(flags ?? [])].filter((f) => f !== '\\Recent'), raw, headers, subject: headers['subject'], messageId: headers['message-id'] };
}

async function doveadm(config: string, args: string[]): Promise<void> {
  try {
    await promisify(execFile)(DOVEADM, ['-c', config, ...args], { timeout: 10_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`doveadm ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
  }
}
