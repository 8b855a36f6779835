import { describe, expect, it } from 'vitest';
import { acknowledgement } from './acknowledgement.js';

const input = { channel: 'webform' as const, name: 'Jan', reference: 'ZK-2026-000123', answerBy: '2026-11-30', subject: 'Mijn salaris' };

describe('acknowledgement', () => {
  it('gives the registration number in the subject tag and the answer date in Dutch', () => {
    const text = acknowledgement({ ...input, locale: 'nl' });
    expect(text.subject).toBe('Ontvangstbevestiging [ZK-2026-000123]: Mijn salaris');
    expect(text.body).toContain('Beste Jan,');
    expect(text.body).toContain('geregistreerd onder nummer ZK-2026-000123');
    expect(text.body).toContain('uiterlijk op maandag 30 november 2026');
  });

  it('is available in English', () => {
    const text = acknowledgement({ ...input, locale: 'en' });
    expect(text.subject).toBe('We have received your message [ZK-2026-000123]: Mijn salaris');
    expect(text.body).toContain('by Monday, 30 November 2026');
  });

  it('addresses a sender without a name politely', () => {
    expect(acknowledgement({ ...input, name: ' ', locale: 'nl' }).body).toMatch(/^Beste heer of mevrouw,/);
  });
});
