import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import nodemailer, { type SendMailOptions, type Transporter, type TransportOptions } from 'nodemailer';
import * as base64 from 'libbase64';
import * as qp from 'libqp';
// MailComposer is documented as part of nodemailer's public API (nodemailer.com/extras/mailcomposer).
import MailComposer from 'nodemailer/lib/mail-composer';
import { PermanentError, TransientError } from '../../src/errors.js';
import { GroupCommit } from '../../src/group-commit.js';
import type { MailReceipt, MailTransport, OutgoingMail } from '../../src/mail.js';

export type { MailReceipt, MailTransport, OutgoingMail };

/** No CR or LF may reach a header: that is how header injection starts. */
export const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

function toNodemailer(mail: OutgoingMail): SendMailOptions {
  return {
    from: mail.from,
    to: { name: headerSafe(mail.to.name ?? ''), address: headerSafe(mail.to.address) },
    subject: headerSafe(mail.subject),
    text: mail.text,
    messageId: mail.messageId,
    date: mail.date,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    headers: mail.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
    attachments: mail.attachments?.map((a) => ({ filename: headerSafe(a.filename), contentType: a.contentType, content: Buffer.from(a.content) })),
  };
}

/** Builds the transport for a SMTP_URL (smtp://, smtps://, lmtp://) or the .eml folder. */
export function createMailTransport(options: { smtpUrl?: string; dataDir: string }): MailTransport {
  return options.smtpUrl ? new SmtpTransport(options.smtpUrl) : new EmlFolderTransport(path.resolve(options.dataDir, 'outbox'));
}

class SmtpTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    const parsed = new URL(url);
    const lmtp = parsed.protocol === 'lmtp:';
    this.transporter = nodemailer.createTransport({
      host: parsed.hostname,
      port: Number(parsed.port) || (lmtp ? 24 : parsed.protocol === 'smtps:' ? 465 : 587),
      secure: parsed.protocol === 'smtps:',
      lmtp,
      pool: !lmtp,
      auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
      connectionTimeout: 15_000,
      socketTimeout: 30_000,
    } as TransportOptions);
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    try {
      const info = (await this.transporter.sendMail(toNodemailer(mail))) as { response?: unknown; rejected?: unknown[]; rejectedErrors?: unknown[] };
      // Over LMTP the server answers per recipient after DATA, and nodemailer resolves even when
      // that answer is a refusal (a 451 from a Dovecot shutting down): the mail was not delivered.
      if (info.rejected?.length) throw info.rejectedErrors?.[0] ?? new Error(`recipient refused: ${String(info.response ?? '')}`);
      return { messageId: mail.messageId, transport: 'smtp', response: String(info.response ?? '') };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** 4xx and connection trouble are worth a retry; 5xx and bad addresses are not. */
export function classifySmtpError(err: unknown): TransientError | PermanentError {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const message = e.message ?? String(err);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return new PermanentError(message, `SMTP_${e.responseCode}`, { cause: err });
  }
  if (e.code === 'EENVELOPE' && e.responseCode === undefined) {
    return new PermanentError(message, 'EENVELOPE', { cause: err });
  }
  return new TransientError(message, e.code ?? (e.responseCode ? `SMTP_${e.responseCode}` : 'ESMTP'), { cause: err });
}

/**
 * The RFC 5322 text of a plain-text mail, with LF line ends. nodemailer's own composer
 * builds the headers (encoded words, folding, the same headers sendMail writes); only its
 * stream pipeline is skipped, which cost more than the rest of the .eml writing together
 * (bench:pipeline). The body is 7bit when it can be, quoted-printable or base64 otherwise,
 * encoded by libqp and libbase64 (the encoders nodemailer and mailparser are built on).
 */
export function plainTextMessage(mail: OutgoingMail): string {
  const root = new MailComposer(toNodemailer(mail)).compile();
  const head = root.buildHeaders();
  const encoding = root.getTransferEncoding();
  const body =
    encoding === 'quoted-printable' ? qp.wrap(qp.encode(mail.text), 76) : encoding === 'base64' ? base64.wrap(base64.encode(mail.text), 76) : mail.text;
  const message = `${head}\r\n\r\n${body}`.replace(/\r\n/g, '\n');
  return message.endsWith('\n') ? message : `${message}\n`;
}

/**
 * The thread that writes .eml files. Creating a file on a journaling file system waits
 * whenever a journal commit is under way (PostgreSQL fsyncs all the time): on the main
 * thread, that stalled all of Loket for about a millisecond per mail (bench:pipeline).
 * A thread of its own takes the wait. Files that come while it writes go to it together,
 * as one message, so a burst costs a few wake-ups, not two per file (libuv's thread pool,
 * fs.promises, would take four hops per file, which cost more CPU than the writing).
 */
const EML_WRITER = `
const { parentPort } = require('node:worker_threads');
const { renameSync, rmSync, writeFileSync } = require('node:fs');
parentPort.on('message', (files) => {
  parentPort.postMessage(files.map(({ temp, file, text }) => {
    try {
      writeFileSync(temp, text);
      renameSync(temp, file);
      return {};
    } catch (err) {
      rmSync(temp, { force: true });
      return { code: err.code || 'EIO', message: String(err.message) };
    }
  }));
});`;

interface FileToWrite {
  temp: string;
  file: string;
  text: string;
}

/** What the writer answers per file: nothing, or why it could not. */
interface Written {
  code?: string;
  message?: string;
}

class FileWriterThread {
  private worker: Worker | undefined;
  private answer: ((written: Written[]) => void) | undefined;
  private lose: ((err: Error) => void) | undefined;
  private readonly batches = new GroupCommit<FileToWrite, Written>((files) => this.post(files), 500);

  /** Writes `text` to `temp`, then renames it to `file`, so a reader never sees half a file. */
  async write(temp: string, file: string, text: string): Promise<void> {
    const written = await this.batches.run({ temp, file, text });
    if (written.code) throw Object.assign(new Error(written.message ?? written.code), { code: written.code });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** One batch at a time (GroupCommit), so one answer is awaited at a time. */
  private post(files: FileToWrite[]): Promise<Written[]> {
    return new Promise<Written[]>((done, failed) => {
      this.answer = done;
      this.lose = failed;
      this.thread().postMessage(files);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(EML_WRITER, { eval: true });
    worker.unref(); // an idle writer does not keep the process alive
    worker.on('message', (written: Written[]) => this.answer?.(written));
    // A writer that died (it should not) fails the batch it held; the next starts another.
    const lost = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.lose?.(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the .eml writer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** Writes each mail once as `<message-id>.eml`; a retry rewrites the same file. */
class EmlFolderTransport implements MailTransport {
  /** Made once, on the first mail, not on every one. */
  private folder: Promise<unknown> | undefined;
  private readonly writer = new FileWriterThread();

  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    // With files the whole MIME tree is needed: nodemailer's composer builds it (rare, so its stream cost is fine).
    const message = mail.attachments?.length
      ? (await new MailComposer(toNodemailer(mail)).compile().build()).toString('latin1').replace(/\r\n/g, '\n')
      : plainTextMessage(mail);
    const name = `${mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')}.eml`;
    const file = path.join(this.dir, name);
    try {
      this.folder ??= mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
        this.folder = undefined;
        throw err;
      });
      await this.folder;
      await this.writer.write(`${file}.${process.pid}.tmp`, file, message);
    } catch (err) {
      throw new TransientError(`cannot write ${file}`, (err as { code?: string }).code ?? 'EIO', { cause: err });
    }
    return { messageId: mail.messageId, transport: 'file', file };
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}
