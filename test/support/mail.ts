import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus/mail: real-world mail from other projects (read at test time, never copied). */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/mail', import.meta.url));

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
export function citizenMail(options: { from?: string; subject: string; body?: string; messageId?: string; headers?: string[] }): { raw: string; messageId: string } {
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
