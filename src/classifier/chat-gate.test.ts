import { describe, expect, it } from 'vitest';
import { chatGate, DEFAULT_CHAT_GATE } from './chat-gate.js';

const CHAT = ['inloggen', 'personeelsgesprekken'];
const guess = (probabilities: Record<string, number>, evidence = 3) => ({
  ranked: Object.entries(probabilities)
    .map(([label, probability]) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability),
  evidence,
});

describe('the chat gate', () => {
  it('lets a login or appraisal question wait for an agent, and redirects a question the classifier places elsewhere', () => {
    expect(chatGate(guess({ inloggen: 0.9, salaris: 0.1 }), undefined, CHAT, DEFAULT_CHAT_GATE)).toBe('wait');
    expect(chatGate(guess({ salaris: 0.8, inloggen: 0.1, personeelsgesprekken: 0.1 }), undefined, CHAT, DEFAULT_CHAT_GATE)).toBe('redirect');
  });

  it('lets the visitor wait when unsure: the chat topics together are likely enough, though neither is best', () => {
    expect(chatGate(guess({ salaris: 0.45, inloggen: 0.2, personeelsgesprekken: 0.2, verlof: 0.15 }), undefined, CHAT, DEFAULT_CHAT_GATE)).toBe('wait');
  });

  it('lets a greeting wait: a line the model knows no word of says nothing about its topic', () => {
    expect(chatGate(guess({ verlof: 0.5, inloggen: 0.1 }, 0), undefined, CHAT, DEFAULT_CHAT_GATE)).toBe('wait');
  });

  it('follows the topic the visitor chose: a chat topic waits unless the line is clearly elsewhere, another is redirected', () => {
    expect(chatGate(guess({ salaris: 0.85, inloggen: 0.15 }), 'inloggen', CHAT, DEFAULT_CHAT_GATE)).toBe('wait');
    expect(chatGate(guess({ salaris: 0.98, inloggen: 0.02 }), 'inloggen', CHAT, DEFAULT_CHAT_GATE)).toBe('redirect');
    expect(chatGate(guess({ inloggen: 0.95 }), 'declaraties', CHAT, DEFAULT_CHAT_GATE)).toBe('redirect');
  });
});
