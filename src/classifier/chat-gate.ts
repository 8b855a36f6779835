import type { Scored } from './model.js';

/**
 * Chat is for logging in and appraisal conversations only. Whether a conversation waits for
 * an agent or is pointed to the form, mail and phone is decided on its first line by the
 * topic classifier and the topic the visitor chose.
 *
 * When the classifier is unsure, the visitor waits: a visitor sent away wrongly has to start
 * again elsewhere, while an agent who gets a question chat is not for can still answer it in
 * a line or point the way by hand. So a conversation is redirected only when the chat topics
 * together are unlikely.
 */
export interface ChatGateSettings {
  /** The chat topics' share of the probability from which a conversation waits. */
  waitFrom: number;
  /** With a chat topic chosen by the visitor: redirected only when the chat topics' share is under this. */
  chosenWaitFrom: number;
}

export const DEFAULT_CHAT_GATE: ChatGateSettings = { waitFrom: 0.25, chosenWaitFrom: 0.05 };

/** 'wait' for an agent, or 'redirect'; `ranked` is the classifier's view of the first line. */
export function chatGate(
  ranked: readonly Scored[],
  chosen: string | undefined,
  chatTopics: readonly string[],
  settings: ChatGateSettings,
): 'wait' | 'redirect' {
  const share = ranked.filter((scored) => chatTopics.includes(scored.label)).reduce((sum, scored) => sum + scored.probability, 0);
  const from = chosen !== undefined && chatTopics.includes(chosen) ? settings.chosenWaitFrom : settings.waitFrom;
  return share >= from ? 'wait' : 'redirect';
}
