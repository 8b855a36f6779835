/**
 * Mail as the channels that answer by mail (email, webform) hand it over; the transport that
 * sends it (SMTP or .eml files) is the email channel's (channels/email/mail.transport.ts).
 */
export interface OutgoingMail {
  from: string;
  to: { name?: string; address: string };
  subject: string;
  text: string;
  /** Stable across retries, so a receiver can tell a resend from a new mail. */
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  /** Automatic mail (receipts, notices) must never start a loop. */
  automatic: boolean;
  /** Files attached by an agent to an answer. */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

export interface MailReceipt {
  messageId: string;
  transport: 'smtp' | 'file';
  response?: string;
  file?: string;
}

/** Sends mail: through SMTP_URL, or as .eml files in DATA_DIR/outbox when it is unset. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<MailReceipt>;
  close(): Promise<void>;
}
