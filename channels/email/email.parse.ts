import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import type { IncomingFile } from '../../src/intake.js';
import { answerRecipient, senderSchema, type InboundMessageInput, type Sender } from '../../src/message.js';
import { automaticReason, type AutomaticReason } from './automatic.js';
import { mailFingerprint } from './mail.fingerprint.js';
import { cleanOneLine, cleanText } from '../../src/text.js';

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
 * The id a mail is stored under: its Message-ID (`<>` when it has none) and the fingerprint
 * of what does not change in transit. A redelivery is the same message; a different mail
 * that reuses a Message-ID is a message of its own. Threading still uses the Message-ID.
 */
export function mailExternalId(messageId: string | undefined, raw: Uint8Array): string {
  return `${normalizeMessageId(messageId) ?? '<>'}#${mailFingerprint(raw)}`;
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
  const replyTo = firstAddress(mail.replyTo);
  const senderHeader = firstAddress(headerAddress(mail, 'sender'));
  // Every address a reply could reach counts for loop protection: a Reply-To of
  // mailer-daemon@ is a machine however human the From looks.
  const sender = mailSender(from, replyTo, senderHeader);
  const involved = [mail.from, mail.replyTo, headerAddress(mail, 'sender')].flatMap(addresses);
  const contentType = header('content-type')[0] ?? 'text/plain';
  const automatic = automaticReason(header, { involved, answerTo: answerRecipient(sender).email }, contentType);
  const files = mail.attachments.map((a, i) => ({
    filename: (a.filename && cleanOneLine(a.filename)) || `bijlage-${i + 1}${a.contentType === 'message/rfc822' ? '.eml' : ''}`,
    contentType: a.contentType || 'application/octet-stream',
    content: a.content,
    contentId: a.cid ?? undefined,
  }));
  const bounceOf = bouncedMessageId(contentType, automatic, files);
  const messageId = normalizeMessageId(mail.messageId);
  const references = toArray(mail.references)
    .map(normalizeMessageId)
    .filter((r): r is string => !!r);
  // What a form would refuse is removed from a mail instead (its raw source keeps everything).
  const html = mail.html ? cleanText(sanitizeMailHtml(mail.html)).slice(0, MAX_HTML) : undefined;
  const parsedText = mail.text ?? (mail.html ? sanitizeHtml(mail.html, { allowedTags: [], allowedAttributes: {} }) : '');
  // A multipart without its boundary parses to nothing: the agent reads the body as it came.
  const text = parsedText.trim() || html || files.length > 0 ? parsedText : rawBody(raw);

  return {
    automatic,
    bounceOf,
    files,
    message: {
      channel: 'email',
      externalId: mailExternalId(mail.messageId, raw),
      receivedAt,
      sender,
      subject: cleanOneLine(mail.subject ?? '').slice(0, 998),
      text: cleanText(text).slice(0, MAX_TEXT),
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
    const head =
      Buffer.from(file.content)
        .toString('utf8', 0, Math.min(file.content.byteLength, 64 * 1024))
        .split(/\r?\n\r?\n/)[0] ?? '';
    const found = /^Message-ID:\s*(<[^>\s]+>)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '));
    if (found) return normalizeMessageId(found[1]);
  }
  return undefined;
}

/** Everything after the header block, as text. */
function rawBody(raw: Buffer): string {
  const source = raw.toString('utf8');
  const gap = /\r?\n\r?\n/.exec(source);
  return gap
    ? source
        .slice(gap.index + gap[0].length)
        .replace(/\r\n/g, '\n')
        .trim()
    : '';
}

function headerValues(mail: ParsedMail, name: string): string[] {
  return mail.headerLines
    .filter((line) => line.key === name)
    .map((line) =>
      line.line
        .slice(line.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );
}

function headerAddress(mail: ParsedMail, name: string): AddressObject | undefined {
  const value = mail.headers.get(name);
  return value && typeof value === 'object' && 'value' in value ? (value as AddressObject) : undefined;
}

/**
 * Who wrote, and where answers go (RFC 5322 §3.6.2: to Reply-To when present). With no usable
 * From (missing, `<>`, not an address) the writer is taken from Reply-To, then Sender.
 */
function mailSender(from: Mailbox | undefined, replyTo: Mailbox | undefined, sender: Mailbox | undefined): Sender {
  const replyAddress = validAddress(replyTo?.address);
  const writer = [from, replyTo, sender].find((mailbox) => validAddress(mailbox?.address));
  const email = validAddress(writer?.address);
  const name = cleanOneLine(from?.name || writer?.name || replyTo?.name || '').slice(0, 200) || undefined;
  const answersElsewhere = replyAddress && replyAddress.toLowerCase() !== email?.toLowerCase();
  return { name, email, ...(answersElsewhere ? { replyTo: replyAddress } : {}) };
}

interface Mailbox {
  name?: string;
  address?: string;
}

/** Every address of an address header, groups opened. */
function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const flatten = (entries: { address?: string; group?: { address?: string }[] }[]): string[] =>
    entries.flatMap((entry) => (entry.group ? flatten(entry.group) : entry.address ? [entry.address] : []));
  return (Array.isArray(header) ? header : header ? [header] : []).flatMap((object) => flatten(object.value));
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
