import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus/mail: real-world mail from other projects (read at test time, never copied). */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/mail', import.meta.url));

/**
 * The corpus is beside a working copy of the team, not beside a plain clone: the tests over
 * it are skipped there, and their name says why.
 */
export const CORPUS_PRESENT = existsSync(CORPUS);
export const corpusTitle = (title: string) => (CORPUS_PRESENT ? title : `${title} (skipped: ../shared/corpus/mail is not beside this clone)`);

/** The project's own mail fixtures: the hard cases every deployment meets (test/fixtures/mail/README.md). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/mail', import.meta.url));

/** Fixtures that machines wrote: none of them may be acknowledged. */
export const MACHINE_FIXTURES = ['dsn-bounce.eml', 'mdn.eml', 'arf.eml'];

/** Every fixture file name, sorted. */
export async function fixtureFiles(): Promise<string[]> {
  return (await readdir(FIXTURES)).filter((file) => file.endsWith('.eml')).sort();
}

/** The corpus README's list of machine mail that must never be acknowledged. */
export const MACHINE_MAIL = [
  'mimekit/bounce.txt',
  'mimekit/delivery-status.txt',
  'mimekit/delivery-status2.txt',
  'mimekit/delivery-status-multiple-blank-lines.txt',
  'mimekit/delivery-status-no-blank-line.txt',
  'mimekit/delivery-status.anonymized.eml',
  'mimekit/disposition-notification.txt',
  'mimekit/disposition-notification.anonymized.eml',
  'mimekit/feedback-report.txt',
  'mailparser/delivery-status.eml',
  'postal-mime/bounce.eml',
  'postal-mime/arf.eml',
];

/** Every corpus file as `folder/file`, sorted. */
export async function corpusFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of await readdir(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of await readdir(path.join(CORPUS, dir.name))) if (file !== 'LICENSE') files.push(`${dir.name}/${file}`);
  }
  return files.sort();
}

/** A plain-text mail from a citizen to the contact mailbox, CRLF line ends. */
export function citizenMail(options: { from?: string; subject: string; body?: string; messageId?: string; headers?: string[] }): {
  raw: string;
  messageId: string;
} {
  const messageId = options.messageId ?? `<${randomUUID()}@loket.test>`;
  const raw = [
    `From: ${options.from ?? 'Jan de Vries <jan@loket.test>'}`,
    'To: Contactcenter <loket@loket.test>',
    `Subject: ${options.subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    ...(options.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? 'Mijn salarisstrook van oktober klopt niet.',
    '',
  ].join('\r\n');
  return { raw, messageId };
}
