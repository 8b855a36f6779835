import type { SQL } from 'drizzle-orm';
import type { TopicGuess } from '../classifier/topic-classifier.js';
import type { RuleSet, TopicGuesser } from '../policy/routing.decision.js';
import type { SlaSetting } from '../policy/sla.setting.js';
import type { Locale } from '../message.js';
import type { Topic } from '../topic.store.js';

/**
 * What routing one message is told: the installation's settings and the admin's rules as
 * they stand when its job starts (read once, before any lock), and how the caller sends.
 */
export interface RoutingSettings {
  referencePrefix: string;
  mailDomain: string;
  /** At most this many automatic replies per sender address per 24 hours. */
  autoReplyLimit: number;
  topics: readonly Topic[];
  /** The admin's routing rules, reply templates and office hours; none: the topic alone decides. */
  ruleSet?: RuleSet;
  /**
   * The caller sends the automatic reply itself as soon as routing returns: write it claimed
   * (outcome `claimed`) instead of pending (outcome `outboxIds`), which saves claiming it.
   */
  claimReplies?: boolean;
  /**
   * Decides a conversation (chat) when its first line opens its case, in the same statement
   * (outcome `decided`, the closing answer among `claimed`). Given by the channel that has
   * conversations; without it the channel decides after routing (Channel.afterRoute).
   */
  conversationPolicy?: ConversationPolicy;
  /** The topic classifier as it stands for this job; without it, the topics' keywords. */
  guess?: TopicGuesser;
  /** The contact center's promises (admin setting `sla.targets`); without them, the defaults. */
  sla?: SlaSetting;
}

/**
 * What a conversation's first routed line decides about it: it waits for an agent, or
 * closes with an automatic answer. The statement that opens the line's case writes it.
 */
export interface ConversationDecision {
  state: 'waiting' | 'closed';
  closedReason: string | null;
  /** The answer that closes the conversation, written claimed (outbox kind and text per locale). */
  reply?: { kind: string; body: Record<Locale, string> };
}

/**
 * How the channel with conversations decides them (built once per routing job from the
 * admin's settings): the decision for a case of a topic, and the statement's part that
 * writes decisions, so the statement opening a conversation's first case writes its decision.
 */
export interface ConversationPolicy {
  /** On the conversation's first line: its case's topic, what the classifier made of the line and the topic the visitor chose. */
  decide(topic: string, evidence?: { guess: TopicGuess; chosen: string | null }): ConversationDecision;
  /**
   * CTEs named `decided` (returning the decided conversations' `ord`) and `conversation_reply`
   * (the closing answers written claimed: the outbox's claimed columns and `message_id`) that
   * decide the conversations of `source`'s rows, whose columns are ord, conversation_id,
   * case_id, message_id, state (null: nothing to decide), closed_reason, closing_kind,
   * closing_nl and closing_en.
   */
  writeDecisions(source: SQL): SQL;
}
