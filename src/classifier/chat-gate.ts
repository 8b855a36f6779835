import type { Scored } from './model.js';

/**
 * Chat is for logging in and appraisal conversations only. Whether a conversation waits for
 * an agent or is pointed to the form, mail and phone is decided on its first line by the
 * topic classifier and the topic the visitor chose.
 *
 * When the classifier is unsure, the visitor waits: a visitor sent away wrongly has to start
 * again elsewhere, while an agent who gets a question chat is not for can still answer it in
 * a line or point the way by hand. So a conversation is redirected only when the line says
 * something about its topic (not just "Hallo") and the chat topics together are unlikely.
 */
export interface ChatGateSettings {
  /** The chat topics' share of the probability from which a conversation waits. */
  waitFrom: number;
  /** With a chat topic chosen by the visitor: redirected only when the chat topics' share is under this. */
  chosenWaitFrom: number;
}

export const DEFAULT_CHAT_GATE: ChatGateSettings = { waitFrom: 0.35, chosenWaitFrom: 0.05 };

/**
 * 'wait' for an agent, or 'redirect'. `guess` is the classifier's view of the first line:
 * every topic's probability, and how many of its words the model knows. A topic the visitor
 * chose outside the chat topics is redirected whatever the line says: they said what it is about.
 */
export function chatGate(
  guess: { ranked: readonly Scored[]; evidence: number },
  chosen: string | undefined,
  chatTopics: readonly string[],
  settings: ChatGateSettings,
): 'wait' | 'redirect' {
  if (chosen !== undefined && !chatTopics.includes(chosen)) return 'redirect';
  if (guess.evidence === 0) return 'wait';
  const share = guess.ranked.filter((scored) => chatTopics.includes(scored.label)).reduce((sum, scored) => sum + scored.probability, 0);
  return share >= (chosen === undefined ? settings.waitFrom : settings.chosenWaitFrom) ? 'wait' : 'redirect';
}
