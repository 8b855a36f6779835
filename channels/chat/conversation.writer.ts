import type { Db } from '../../src/db/database.js';
import { GroupCommit } from '../../src/group-commit.js';
import { createConversations, touchConversations, type ConversationRow, type NewConversation } from './conversation.store.js';

/**
 * The two writes every visitor makes — a conversation at chat:start, a touch at each
 * chat:message — go together with other visitors' (GroupCommit): what arrives while one
 * statement runs is written by the next, so a burst costs one round trip and one commit
 * per batch, not per visitor. One visitor alone is written at once and waits for nothing.
 */
export class ConversationWriter {
  private readonly creates: GroupCommit<NewConversation, { row: ConversationRow; token: string }>;
  private readonly touches: GroupCommit<string, ConversationRow['state'] | undefined>;

  constructor(db: Db) {
    this.creates = new GroupCommit((inputs) => createConversations(db, inputs), 100);
    this.touches = new GroupCommit((ids) => touchConversations(db, ids), 100);
  }

  /** A new conversation and its resume token (only its hash is stored). */
  create(input: NewConversation): Promise<{ row: ConversationRow; token: string }> {
    return this.creates.run(input);
  }

  /** Records activity; the state, or undefined when the conversation is closed or gone. */
  touch(id: string): Promise<ConversationRow['state'] | undefined> {
    return this.touches.run(id);
  }
}
