import { describe, expect, it } from 'vitest';
import { cleanOneLine, multiLineText, nulAt, oneLineText, UNSAFE_TEXT } from './text.js';

describe('boundary text', () => {
  it('refuses line breaks, control characters and bidi overrides in a one-line field, and NUL everywhere', () => {
    const name = oneLineText(200);
    expect(name.safeParse('Jan de Vries').success).toBe(true);
    for (const bad of ['Evil\r\nBcc: victim@example.org', 'a\u0000b', 'tab\there', 'gnp.\u202eexe', 'x\u2066y']) {
      const result = name.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues[0]?.message).toBe(UNSAFE_TEXT);
    }
    const message = multiLineText(1_000);
    expect(message.safeParse('Regel 1\nRegel 2\tmet tab').success).toBe(true);
    expect(message.safeParse('Regel\u0000').success).toBe(false);
  });

  it('finds NUL anywhere in a parsed request, keys included, and names where', () => {
    expect(nulAt({ name: 'Jan', nested: { list: ['ok', 'b\u0000d'] } })).toEqual(['nested', 'list', '1']);
    expect(nulAt({ ['k\u0000']: 'v' })).toEqual(['k\\0']);
    expect(nulAt({ ['a.b']: ['\u0000'] })).toEqual(['a.b', '0']);
    expect(nulAt('plain\u0000')).toEqual([]);
    expect(nulAt({ name: 'Jan', n: 1, b: true, x: null })).toBeUndefined();
  });

  it('makes text from outside fit a one-line field', () => {
    expect(cleanOneLine('Re:\r\n Verlof\u202e  aanvraag')).toBe('Re: Verlof aanvraag');
  });
});
