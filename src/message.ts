import { z } from 'zod';

export const CHANNEL_NAMES = ['email', 'webform', 'chat', 'phone', 'post'] as const;
export const channelNameSchema = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof channelNameSchema>;

export const LOCALES = ['nl', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

export const postalAddressSchema = z.object({
  street: z.string().max(200).optional(),
  postalCode: z.string().max(20).optional(),
  city: z.string().max(100).optional(),
  country: z.string().max(100).optional(),
});

export const senderSchema = z.object({
  name: z.string().max(200).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().max(40).optional(),
  employeeNumber: z.string().max(40).optional(),
  postalAddress: postalAddressSchema.optional(),
  /** Where answers go when not to `email`: a mail's Reply-To (portals send from no-reply@ with the person here). */
  replyTo: z.email().max(320).optional(),
  /**
   * The employees' portal vouched for this person (a verified ID token, src/auth/portal-identity.ts):
   * `employeeNumber` is theirs. Absent on the public form, mail and phone.
   */
  verified: z.object({ issuer: z.string().max(500), subject: z.string().max(500) }).optional(),
  /** The employee number was typed on the public form, unchecked: it does not make the sender a case's contact. */
  employeeNumberUnverified: z.literal(true).optional(),
});
export type Sender = z.infer<typeof senderSchema>;

/** Whom an answer to this sender goes to: their Reply-To when they gave one. */
export function answerRecipient(sender: Sender): Sender {
  const { replyTo, ...rest } = sender;
  return replyTo ? { ...rest, email: replyTo } : rest;
}

/** A reference to a stored blob; the bytes never travel inside a message. */
export const attachmentRefSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  contentId: z.string().max(255).optional(),
});
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

export const threadHintsSchema = z.object({
  /** The channel's own id for this message (e-mail Message-ID, chat conversation id). */
  messageId: z.string().max(998).optional(),
  inReplyTo: z.string().max(998).optional(),
  references: z.array(z.string().max(998)).max(100).default([]),
  /** A registration number the sender quoted or the channel knows. */
  caseRef: z.string().max(40).optional(),
  /** A conversation that spans messages (chat session, call). */
  conversationId: z.string().max(200).optional(),
});
export type ThreadHints = z.infer<typeof threadHintsSchema>;

/** The one shape every channel produces. */
export const inboundMessageSchema = z.object({
  channel: channelNameSchema,
  externalId: z.string().min(1).max(500),
  receivedAt: z.coerce.date(),
  locale: localeSchema.default('nl'),
  sender: senderSchema,
  subject: z.string().max(998).default(''),
  text: z.string().max(1_000_000).default(''),
  /** Already sanitized by the channel adapter on an allow-list. */
  html: z.string().max(5_000_000).optional(),
  attachments: z.array(attachmentRefSchema).max(100).default([]),
  thread: threadHintsSchema.default({ references: [] }),
  topicHint: z.string().max(100).optional(),
  /** Channel specifics worth keeping (IMAP uid, telephony call id, ...). */
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;
