import type { FetchMessageObject } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { parseImapUrl } from './imap.address.js';
import { batches } from './imap.batches.js';

const meta = (uid: number, size: number) => ({ uid, size }) as FetchMessageObject;
const uids = (groups: FetchMessageObject[][]) => groups.map((group) => group.map((m) => m.uid));

describe('batches', () => {
  it('cuts a backlog into batches of at most 100 mails', () => {
    const pending = Array.from({ length: 250 }, (_, i) => meta(i + 1, 1_000));
    expect(batches(pending).map((group) => group.length)).toEqual([100, 100, 50]);
  });

  it('keeps a batch under 32 MB, and a larger mail in a batch of its own', () => {
    const MB = 1024 * 1024;
    expect(uids(batches([meta(1, 20 * MB), meta(2, 20 * MB), meta(3, 40 * MB), meta(4, 1 * MB)]))).toEqual([[1], [2], [3], [4]]);
    expect(uids(batches([meta(1, 10 * MB), meta(2, 10 * MB), meta(3, 10 * MB), meta(4, 10 * MB)]))).toEqual([[1, 2, 3], [4]]);
  });

  it('has nothing to do for an empty mailbox', () => {
    expect(batches([])).toEqual([]);
  });
});

describe('parseImapUrl', () => {
  it('reads host, port, TLS, user, password and mailbox, and names the mailbox without the password', () => {
    expect(parseImapUrl('imaps://contact%40p-direkt.nl:ge%2Fheim@imap.example.org/Archief%2F2026')).toEqual({
      host: 'imap.example.org',
      port: 993,
      secure: true,
      user: 'contact@p-direkt.nl',
      pass: 'ge/heim',
      path: 'Archief/2026',
      key: 'contact@p-direkt.nl@imap.example.org:993/Archief/2026',
    });
    expect(parseImapUrl('imap://loket:x@127.0.0.1:1143').path).toBe('INBOX');
    expect(parseImapUrl('imap://loket:x@127.0.0.1').port).toBe(143);
  });
});
