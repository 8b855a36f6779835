import { describe, expect, it } from 'vitest';
import { quotedReferences, threadKeys, threadLookupKeys } from './thread.js';

describe('threadKeys', () => {
  it('leaves the message id apart from In-Reply-To and References, each once, normalized and sorted', () => {
    expect(
      threadKeys('email', {
        messageId: '<B@example.org>',
        inReplyTo: '<a@example.org>',
        references: ['<a@example.org>', '<root@example.org>'],
      }),
    ).toEqual(['mid:a@example.org', 'mid:root@example.org', 'own:b@example.org']);
  });

  it('looks for what a message answers under both kinds, but for its own id only where another message answered it', () => {
    const hints = { messageId: '<b@example.org>', inReplyTo: '<a@example.org>', references: [] };
    expect(threadLookupKeys('email', hints)).toEqual(['mid:a@example.org', 'mid:b@example.org', 'own:a@example.org']);
    // A second mail reusing a's Message-ID does not find a's case by it (a left own:a), but a reply to a does.
    expect(threadLookupKeys('email', { messageId: '<a@example.org>', references: [] })).not.toContain('own:a@example.org');
    expect(threadKeys('email', { messageId: '<a@example.org>', references: [] })).toEqual(['own:a@example.org']);
  });

  it('scopes a conversation id to its channel', () => {
    expect(threadKeys('chat', { references: [], conversationId: 'c1' })).toEqual(['conv:chat:c1']);
  });

  it('has no keys for a form message without hints', () => {
    expect(threadKeys('webform', { references: [] })).toEqual([]);
  });
});

describe('quotedReferences', () => {
  it('puts the channel hint before numbers in subject and text', () => {
    expect(
      quotedReferences('ZK', {
        subject: 'Re: [ZK-2026-000002]',
        text: 'eerder ZK-2026-000001',
        thread: { references: [], caseRef: 'ZK-2026-000003' },
      }),
    ).toEqual(['ZK-2026-000003', 'ZK-2026-000002', 'ZK-2026-000001']);
  });
});
