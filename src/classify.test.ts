import { describe, expect, it } from 'vitest';
import { classify, countKeyword, normalizeText, type TopicRule } from './classify.js';

const topics: TopicRule[] = [
  { key: 'klacht', keywords: { nl: ['klacht'], en: ['complaint'] }, weight: 3, position: 1 },
  { key: 'inloggen', keywords: { nl: ['inloggen', 'wachtwoord'], en: ['log in'] }, weight: 1, position: 2 },
  { key: 'salaris', keywords: { nl: ['salaris', 'loon'], en: ['salary'] }, weight: 1, position: 3 },
  { key: 'verlof', keywords: { nl: ['verlof'], en: ['leave'] }, weight: 1, position: 4 },
];

describe('classify', () => {
  it('finds the topic of a Dutch question through a compound word', () => {
    expect(classify({ subject: 'Vraag', text: 'Mijn salarisstrook van oktober klopt niet.' }, topics).topic).toBe('salaris');
  });

  it('matches a long keyword inside a compound and folds accents and case', () => {
    expect(countKeyword(normalizeText('Mijn INLOGWACHTWOORD werkt niet'), 'wachtwoord')).toBe(1);
    expect(classify({ subject: 'Wachtwoord vergeten', text: '' }, topics).topic).toBe('inloggen');
  });

  it('does not match a short keyword in the middle of another word', () => {
    expect(countKeyword(normalizeText('de schoonheid'), 'loon')).toBe(0);
  });

  it('matches English phrases as whole phrases', () => {
    expect(classify({ subject: 'Cannot log in', text: 'I cannot log in since Monday' }, topics).topic).toBe('inloggen');
  });

  it('lets a complaint about salary be a complaint, by weight', () => {
    const result = classify({ subject: 'Klacht', text: 'Mijn salaris is te laat, weer salaris te laat.' }, topics);
    expect(result.topic).toBe('klacht');
    expect(result.scores).toEqual({ klacht: 6, salaris: 2 });
  });

  it('counts the subject double', () => {
    expect(classify({ subject: 'Verlof', text: 'over mijn salaris' }, topics).topic).toBe('verlof');
  });

  it('gives ties to the topic listed first', () => {
    expect(classify({ subject: '', text: 'salaris en verlof' }, topics).topic).toBe('salaris');
  });

  it('falls back to overig without any hit', () => {
    expect(classify({ subject: 'Hallo', text: 'Goedemorgen' }, topics)).toEqual({ topic: 'overig', scores: {} });
  });
});
