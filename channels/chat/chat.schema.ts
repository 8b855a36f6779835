import { identityTokenSchema } from '../../src/auth/portal-identity.js';
import { z } from 'zod';
import { oneLine } from '../../src/text.js';

/** Visible text: trimmed, control characters (but newlines and tabs) removed. */
const visibleText = (max: number) =>
  z
    .string()
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern removes
    .transform((value) => value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim())
    .pipe(z.string().min(1).max(max));

export const startRequestSchema = z.object({
  name: oneLine(visibleText(200)),
  email: z.email().max(320).optional(),
  employeeNumber: oneLine(z.string().trim().max(40)).optional(),
  topic: oneLine(z.string().trim().max(100)).optional(),
  locale: z.enum(['nl', 'en']).default('nl'),
  transcript: z.boolean().default(false),
  /** The employees' portal's ID token, when the widget runs inside the portal (src/auth/portal-identity.ts). */
  identity: identityTokenSchema.optional(),
});

export const messageRequestSchema = (maxLength: number) =>
  z.object({
    clientId: oneLine(z.string().trim().min(1).max(100)),
    text: visibleText(maxLength),
  });

export const resumeRequestSchema = z.object({ token: z.string().min(10).max(200) });
export const typingRequestSchema = z.object({ typing: z.boolean() });
export const closeRequestSchema = z.object({ transcript: z.boolean().optional() }).default({});

const conversationId = z.uuid();
export const agentAcceptSchema = z.object({ conversationId });
export const agentMessageSchema = (maxLength: number) =>
  z.object({ conversationId, clientId: z.string().trim().min(1).max(100), text: visibleText(maxLength) });
export const agentTypingSchema = z.object({ conversationId, typing: z.boolean() });
export const agentTransferSchema = z.object({ conversationId, to: z.string().trim().min(1).max(100).optional() });
export const agentCloseSchema = z.object({ conversationId });
export const agentAuthSchema = z.object({ token: z.string().min(1).max(500), agent: z.string().trim().min(1).max(100) });
