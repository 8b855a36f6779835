import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import type { IncomingFile } from '../../src/intake.js';
import { senderSchema, type InboundMessageInput } from '../../src/message.js';
import { automaticReason, type AutomaticReason } from './automatic.js';

const MAX_TEXT = 1_000_000;
const MAX_HTML = 5_000_000;

export interface ParsedInbound {
  message: InboundMessageInput;
  files: IncomingFile[];
  automatic?: AutomaticReason;
  /** The Message-ID of our mail this bounce reports, when it is a bounce. */
  bounceOf?: string;
}

/** A mail that mailparser or the message schema could not take: it goes to quarantine. */
export class UnparseableMailError extends Error {
  override name = 'UnparseableMailError';
}

/** Message-ID without spaces, always in angle brackets. */
export function normalizeMessageId(id: string | undefined): string | undefined {
  const clean = id?.trim().replace(/^<|>$/g, '').trim();
  return clean ? `<${clean}>` : undefined;
}

/**
 * The id a mail is stored under: its Message-ID, or a hash of its bytes when it has none;
 * line endings are made CRLF first, as an IMAP server stores a mail appended with bare LF.
 */
export function mailExternalId(messageId: string | undefined, raw: Uint8Array): string {
  const id = normalizeMessageId(messageId);
  if (id) return id;
  const canonical = Buffer.from(Buffer.from(raw).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** Everything a person wrote survives; scripts, handlers, remote images and styles that load do not. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'font', 'center'],
    allowedAttributes: {
      ...sanitizeHtml.defaults.allowedAttributes,
      img: ['src', 'alt', 'width', 'height'],
      '*': ['align', 'dir', 'lang', 'title'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
    },
    // Only inline images that travel in the mail itself; a remote image is a tracking pixel.
    allowedSchemesByTag: { img: ['cid'], a: ['http', 'https', 'mailto', 'tel'] },
    allowProtocolRelative: false,
  });
}

/**
 * Turns a raw mail into Loket's message shape, leniently: broken charsets, missing
 * boundaries, no Date, From or Message-ID. Throws UnparseableMailError when it cannot.
 */
export async function parseMail(raw: Buffer, receivedAt: Date): Promise<ParsedInbound> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, keepDeliveryStatus: true });
  } catch (err) {
    throw new UnparseableMailError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  const header = (name: string) => headerValues(mail, name);
  const from = firstAddress(mail.from);
  const senderAddresses = [from?.address, firstAddress(headerAddress(mail, 'sender'))?.address].filter((a): a is string => !!a);
  const contentType = header('content-type')[0] ?? 'text/plain';
  const automatic = automaticReason(header, senderAddresses, contentType);
  const files = mail.attachments.map((a, i) => ({
    filename: a.filename ?? `bijlage-${i + 1}${a.contentType === 'message/rfc822' ? '.eml' : ''}`,
    contentType: a.contentType || 'application/octet-stream',
    content: a.content,
    contentId: a.cid ?? undefined,
  }));
  const bounceOf = bouncedMessageId(contentType, automatic, files);
  const messageId = normalizeMessageId(mail.messageId);
  const references = toArray(mail.references).map(normalizeMessageId).filter((r): r is string => !!r);
  const html = mail.html ? sanitizeMailHtml(mail.html).slice(0, MAX_HTML) : undefined;
  const text = mail.text ?? (mail.html ? sanitizeHtml(mail.html, { allowedTags: [], allowedAttributes: {} }) : '');

  return {
    automatic,
    bounceOf,
    files,
    message: {
      channel: 'email',
      externalId: mailExternalId(mail.messageId, raw),
      receivedAt,
      sender: { name: from?.name?.slice(0, 200) || undefined, email: validAddress(from?.address) },
      subject: (mail.subject ?? '').slice(0, 998),
      text: text.slice(0, MAX_TEXT),
      html,
      thread: {
        messageId,
        inReplyTo: normalizeMessageId(mail.inReplyTo),
        references: bounceOf ? [...references, bounceOf] : references,
      },
      meta: {
        ...(automatic ? { automatic, suppressAutoReply: true } : {}),
        ...(bounceOf ? { bounceOf } : {}),
        date: mail.date?.toISOString(),
        replyTo: firstAddress(mail.replyTo)?.address,
      },
    },
  };
}

/**
 * A delivery report (RFC 3464) or a mailer-daemon's returned mail names the message it
 * bounces in the returned headers.
 */
function bouncedMessageId(contentType: string, automatic: AutomaticReason | undefined, files: IncomingFile[]): string | undefined {
  const isDeliveryReport = /report-type="?delivery-status/i.test(contentType);
  if (!isDeliveryReport && automatic !== 'system-sender') return undefined;
  for (const file of files) {
    if (!/^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers)$/i.test(file.contentType)) continue;
    const head = Buffer.from(file.content).toString('utf8', 0, Math.min(file.content.byteLength, 64 * 1024)).split(/\r?\n\r?\n/)[0] ?? '';
    const found = /^Message-ID:\s*(<[^>\s]+>)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '));
    if (found) return normalizeMessageId(found[1]);
  }
  return undefined;
}

function headerValues(mail: ParsedMail, name: string): string[] {
  return mail.headerLines
    .filter((line) => line.key === name)
    .map((line) => line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

function headerAddress(mail: ParsedMail, name: string): AddressObject | undefined {
  const value = mail.headers.get(name);
  return value && typeof value === 'object' && 'value' in value ? (value as AddressObject) : undefined;
}

function firstAddress(address: AddressObject | AddressObject[] | undefined): { name?: string; address?: string } | undefined {
  const first = Array.isArray(address) ? address[0] : address;
  return first?.value[0];
}

/** An address the message schema accepts, or none: a broken From must not block the mail. */
function validAddress(address: string | undefined): string | undefined {
  return address && senderSchema.shape.email.safeParse(address).success ? address : undefined;
}

function toArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/);
}
