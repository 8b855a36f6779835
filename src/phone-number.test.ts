import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone-number.js';

describe('normalizePhone', () => {
  it('writes every spelling of a Dutch number the same way', () => {
    for (const spelling of ['+31 6-1234 5678', '0031612345678', '06 12345678', '06-12345678', '+31 (0)6 1234 5678', '+31612345678']) {
      expect(normalizePhone(spelling), spelling).toBe('0612345678');
    }
  });

  it('keeps a foreign country code', () => {
    expect(normalizePhone('0032 2 123 45 67')).toBe('+3221234567');
    expect(normalizePhone('+49 30 1234567')).toBe('+49301234567');
  });
});
