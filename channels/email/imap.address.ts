export interface MailboxAddress {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  path: string;
  /** Names the mailbox without its password: the key of its state and lock. */
  key: string;
}

/** `imap://user:pass@host:port/MAILBOX` (or `imaps://`) → where and as whom to read; INBOX when no mailbox is named. */
export function parseImapUrl(url: string): MailboxAddress {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  const port = Number(parsed.port) || (secure ? 993 : 143);
  const user = decodeURIComponent(parsed.username);
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX';
  return { host: parsed.hostname, port, secure, user, pass: decodeURIComponent(parsed.password), path, key: `${user}@${parsed.hostname}:${port}/${path}` };
}
