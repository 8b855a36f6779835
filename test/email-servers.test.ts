/**
 * The mail channel on IMAP servers laid out as real ones are, with the default IMAP_AFTER.
 * Real: a private Dovecot per test in Debian's stock maildir layout ("." between levels),
 * LAYOUT=fs ("/") and a Courier-style INBOX. prefix; PostgreSQL (a database per test);
 * Redis; BullMQ. Answers go to .eml files (no SMTP_URL): these tests are about reading.
 */
import { afterEach, expect, it } from 'vitest';
import type { FolderLayout } from './support/dovecot.config.js';
import { startDovecot, type PrivateDovecot } from './support/dovecot.js';
import { capturingLogger, startTestLoket, type TestLoket } from './support/loket.js';
import { citizenMail as mail } from './support/mail.js';
import { sleep, waitFor } from './support/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function dovecotWith(folders: FolderLayout): Promise<PrivateDovecot> {
  const dovecot = await startDovecot({ folders });
  cleanups.push(() => dovecot.stop());
  return dovecot;
}

async function loketWith(env: Record<string, string>, options: Parameters<typeof startTestLoket>[1] = {}): Promise<TestLoket> {
  const loket = await startTestLoket({ AUTO_REPLY_LIMIT: '100000', ...env }, options);
  cleanups.push(() => loket.stop());
  return loket;
}

/** Appends over one connection; `mailbox` is the server's own name. */
async function appendAll(dovecot: PrivateDovecot, raws: string[], mailbox = 'INBOX'): Promise<void> {
  const client = await dovecot.connect('loket');
  try {
    for (const raw of raws) await client.append(mailbox, raw);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Folder names exactly as the server lists them. */
async function serverFolders(dovecot: PrivateDovecot): Promise<string[]> {
  const client = await dovecot.connect('loket');
  try {
    return (await client.list()).map((box) => box.path);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

const logins = (dovecot: PrivateDovecot) => dovecot.readLog().match(/imap-login: Info: Login: user=<loket>,/g)?.length ?? 0;

const readyz = async (loket: TestLoket) =>
  (await (await fetch(`${loket.url}/readyz`)).json()) as { status: string; channels: Record<string, { state: string } | undefined> };

const storedMails = async (loket: TestLoket) =>
  loket.db!.query<{ n: string; ids: string }>(`select count(*) as n, count(distinct thread->>'messageId') as ids from messages where channel = 'email'`);

/** What "Loket/Verwerkt" (the default IMAP_AFTER) must be called on each server. */
const PROCESSED_FOLDER: Record<FolderLayout, string> = {
  maildir: 'Loket.Verwerkt',
  fs: 'Loket/Verwerkt',
  courier: 'INBOX.Loket.Verwerkt',
};

/**
 * The backlog per layout: Debian's stock layout takes the full 500; the others are about the
 * folder's name on that server, which a smaller backlog shows as well, in a third of the time.
 */
const BACKLOG: Record<FolderLayout, number> = { maildir: 500, fs: 100, courier: 100 };

it.each(Object.keys(PROCESSED_FOLDER) as FolderLayout[])(
  'Dovecot with %s folders takes a backlog (500 mails on the stock layout) with the default IMAP_AFTER: every mail stored once and moved',
  async (folders) => {
    const dovecot = await dovecotWith(folders);
    const backlog = BACKLOG[folders];
    const mails = Array.from({ length: backlog }, (_, i) => mail({ subject: `Vraag ${i + 1} over mijn salaris` }));
    await appendAll(
      dovecot,
      mails.map((m) => m.raw),
    );

    const loket = await loketWith({ IMAP_URL: dovecot.imapUrl('loket') });
    expect(loket.config.IMAP_AFTER).toBe('move:Loket/Verwerkt');
    await waitFor(async () => (await dovecot.mailboxStatus('loket')).messages === 0, 'the inbox to be empty', 120_000);

    expect(await serverFolders(dovecot)).toContain(PROCESSED_FOLDER[folders]);
    const client = await dovecot.connect('loket');
    try {
      const status = await client.status(PROCESSED_FOLDER[folders], { messages: true });
      expect(status && status.messages).toBe(backlog);
    } finally {
      await client.logout().catch(() => client.close());
    }
    const [stored] = await storedMails(loket);
    expect({ messages: Number(stored!.n), distinct: Number(stored!.ids) }).toEqual({ messages: backlog, distinct: backlog });
    expect((await readyz(loket)).channels['email']?.state).toBe('up');
  },
  180_000,
);

it('a move folder the server refuses: one error naming IMAP_AFTER and the answer, logins backing off, the channel down, the mails untouched', async () => {
  const dovecot = await dovecotWith('maildir');
  const waiting = [mail({ subject: 'Verlof' }), mail({ subject: 'Declaratie' }), mail({ subject: 'Inloggen' })];
  await appendAll(
    dovecot,
    waiting.map((m) => m.raw),
  );
  const { log, lines } = capturingLogger();
  const before = logins(dovecot);

  const loket = await loketWith({ IMAP_URL: dovecot.imapUrl('loket'), IMAP_AFTER: 'move:~Verwerkt', IMAP_RETRY_MAX_SECONDS: '8' }, { log });
  await sleep(10_000);

  // Waits of 1-2, 2-4 and 4-8 s: at most four logins in ten seconds (it was about twenty).
  const tried = logins(dovecot) - before;
  expect(tried).toBeGreaterThanOrEqual(2);
  expect(tried).toBeLessThanOrEqual(4);
  const down = lines.filter((line) => typeof line['msg'] === 'string' && line['msg'].startsWith('mail channel down'));
  expect(down).toHaveLength(1);
  expect(down[0]).toMatchObject({ level: 50, setting: 'IMAP_AFTER' });
  expect(down[0]!['msg']).toContain("Begins with '~'");

  const ready = await readyz(loket);
  expect(ready.status).toBe('ready'); // the web side works; the mail channel is shown down
  expect(ready.channels['email']?.state).toBe('down');
  const metrics = await (await fetch(`${loket.url}/metrics`)).text();
  expect(metrics).toMatch(/loket_channel_up\{channel="email",source="loket@127\.0\.0\.1:\d+\/INBOX"\} 0/);

  const inbox = await dovecot.listMessages('loket');
  expect(inbox.map((m) => m.messageId).sort()).toEqual(waiting.map((m) => m.messageId).sort());
  expect(inbox.every((m) => !m.flags.includes('\\Seen'))).toBe(true);
  expect(Number((await storedMails(loket))[0]!.n)).toBe(0);
}, 60_000);

it('a contact mailbox that does not exist yet: the reader backs off, says IMAP_URL, and reads it once it is created', async () => {
  const dovecot = await dovecotWith('maildir');
  const { log, lines } = capturingLogger();
  const loket = await loketWith({ IMAP_URL: dovecot.imapUrl('loket', 'Contact'), IMAP_RETRY_MAX_SECONDS: '4' }, { log });
  await waitFor(async () => (await readyz(loket)).channels['email']?.state === 'down' || undefined, 'the mail channel to be shown down', 15_000);
  const down = lines.find((line) => typeof line['msg'] === 'string' && line['msg'].startsWith('mail channel down'));
  expect(down).toMatchObject({ setting: 'IMAP_URL' });
  expect(down!['msg']).toMatch(/NONEXISTENT|doesn't exist/i);

  const admin = await dovecot.connect('loket');
  try {
    await admin.mailboxCreate('Contact');
  } finally {
    await admin.logout().catch(() => admin.close());
  }
  const question = mail({ subject: 'Mijn loonstrook' });
  await appendAll(dovecot, [question.raw], 'Contact');

  await waitFor(async () => Number((await storedMails(loket))[0]!.n) === 1 || undefined, 'the mail in the new mailbox to be stored', 20_000);
  expect((await readyz(loket)).channels['email']?.state).toBe('up');
  expect(lines.some((line) => line['msg'] === 'mail channel up')).toBe(true);
  await waitFor(async () => (await dovecot.mailboxStatus('loket', 'Contact')).messages === 0, 'the mail to be moved', 15_000);
}, 60_000);
