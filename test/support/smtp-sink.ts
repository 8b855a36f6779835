import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | undefined;
  header(name: string): string | undefined;
}

/** Decides per recipient: undefined accepts, a number answers with that SMTP code. */
export type RecipientPolicy = (address: string) => number | undefined;

/** A real SMTP server (the smtp-server package) on a free port that keeps every mail it gets. */
export async function startSmtpSink(
  policy: RecipientPolicy = () => undefined,
): Promise<{ url: string; mails: CapturedMail[]; errors: Error[]; close(): Promise<void> }> {
  const mails: CapturedMail[] = [];
  const errors: Error[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = policy(address.address);
      if (code === undefined) return callback();
      callback(Object.assign(new Error(`${code} refused by the test policy`), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headerBlock = raw.split(/\r?\n\r?\n/)[0] ?? '';
        const unfolded = headerBlock.replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          messageId: header('Message-ID'),
          header,
        });
        callback();
      });
    },
  });
  // A client that dies mid-session (a SIGKILLed worker) resets its connection; a real
  // server logs that and carries on, and an unhandled 'error' event would crash the test.
  server.on('error', (err) => errors.push(err));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
