import { describe, expect, it } from 'vitest';
import { quotedReferences, threadKeys } from './thread.js';

describe('threadKeys', () => {
  it('collects the message id, In-Reply-To and References once each, normalized and sorted', () => {
    expect(
      threadKeys('email', {
        messageId: '<B@example.org>',
        inReplyTo: '<a@example.org>',
        references: ['<a@example.org>', '<root@example.org>'],
      }),
    ).toEqual(['mid:a@example.org', 'mid:b@example.org', 'mid:root@example.org']);
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
