import { describe, expect, it } from 'vitest';
import { findReferences, formatReference } from './reference.js';

describe('registration numbers', () => {
  it('pads the serial to six digits', () => {
    expect(formatReference('ZK', 2026, 123)).toBe('ZK-2026-000123');
  });

  it('finds references in a subject tag and in running text, once each, whatever their case', () => {
    expect(findReferences('ZK', 'Re: [ZK-2026-000123] mijn salaris', 'Zie ZK-2026-000123 en ook zk-2026-000999 of ZK-2025-000042.')).toEqual([
      'ZK-2026-000123',
      'ZK-2026-000999',
      'ZK-2025-000042',
    ]);
  });

  it('ignores numbers glued to other words or with another prefix', () => {
    expect(findReferences('ZK', 'XZK-2026-000123 ZK-2026-0001234x KL-2026-000001')).toEqual([]);
  });
});
