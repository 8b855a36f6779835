import { describe, expect, it } from 'vitest';
import { features, questionPart, stems, words } from './features.js';
import { predict, train } from './model.js';

/** The share of `a`'s feature weight that `b` has too (0: nothing in common). */
function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let all = 0;
  for (const [name, value] of a) {
    all += value;
    if (b.has(name)) shared += value;
  }
  return shared / all;
}

describe('Dutch words as the classifier reads them', () => {
  it('takes plural endings off (meervoud)', () => {
    expect(stems('declaraties')).toEqual(stems('declaratie'));
    expect(stems('verlofdagen')).toEqual(stems('verlofdag'));
    expect(stems('wachtwoorden')).toEqual(stems('wachtwoord'));
    expect(stems('gesprekken')).toEqual(stems('gesprek'));
  });

  it('takes diminutive endings off (verkleinwoorden)', () => {
    expect(stems('salarisstrookje')).toEqual(stems('salarisstrook'));
    expect(stems('briefjes')).toEqual(stems('brief'));
    expect(stems('mailtje')).toEqual(stems('mail'));
  });

  it('leaves stop words out and folds accents and hyphens', () => {
    expect(stems('Hoe kan ik het doen?')).toEqual([]);
    expect(words('Privé e-mail')).toEqual(['prive', 'email']);
  });

  it('finds the parts of compounds (samenstellingen) in their letter groups', () => {
    const compound = features({ subject: '', text: 'thuiswerkvergoeding' });
    const part = features({ subject: '', text: 'vergoeding' });
    const other = features({ subject: '', text: 'wachtwoord' });
    expect(overlap(part, compound)).toBeGreaterThan(0.25);
    expect(overlap(part, compound)).toBeGreaterThan(3 * overlap(other, compound));
  });

  it('survives a misspelling: most of the letter groups stay', () => {
    expect(overlap(features({ subject: '', text: 'decleratie' }), features({ subject: '', text: 'declaratie' }))).toBeGreaterThan(0.3);
  });

  it('reads the question, not the signature or the quoted mail below it', () => {
    const mail = 'Goedemiddag,\n\nWanneer wordt mijn reiskosten uitbetaald?\n\nMet vriendelijke groet,\nJan de Vries\nMinisterie van Financiën';
    expect(questionPart(mail)).toBe('Goedemiddag,\n\nWanneer wordt mijn reiskosten uitbetaald?\n');
    expect(questionPart('Zie hieronder.\n> Uw wachtwoord is verlopen\nDank')).toBe('Zie hieronder.\nDank');
    expect(questionPart('Vraag over verlof\n\nOp 3 dec. 2026 om 10:00 schreef Loket <loket@example.org>:\nOud bericht')).toBe('Vraag over verlof\n');
  });

  it('reads English with an English stemmer', () => {
    expect(stems('claims claiming', 'en')).toEqual(['claim', 'claim']);
  });
});

describe('the model', () => {
  const example = (text: string, label: string) => ({ features: features({ subject: '', text }), label });
  const set = [
    example('wachtwoord vergeten', 'inloggen'),
    example('ik kan niet inloggen', 'inloggen'),
    example('sms code komt niet', 'inloggen'),
    example('reiskosten declareren', 'declaraties'),
    example('bonnetje van de trein indienen', 'declaraties'),
    example('declaratie afgewezen', 'declaraties'),
  ];

  it('learns topics, gives probabilities that add up to one, and is the same model every time', () => {
    const model = train(set);
    const ranked = predict(model, features({ subject: '', text: 'Mijn wachtwoord werkt niet' }));
    expect(ranked[0]!.label).toBe('inloggen');
    expect(ranked.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 6);
    expect(predict(train(set), features({ subject: '', text: 'treinkaartje declareren' }))).toEqual(
      predict(model, features({ subject: '', text: 'treinkaartje declareren' })),
    );
  });

  it('is unsure about words it never saw', () => {
    const ranked = predict(train(set), features({ subject: '', text: 'xyzzy plugh' }));
    expect(ranked[0]!.probability).toBeLessThan(0.7);
  });

  it('counts a weighted example more', () => {
    const line = 'trein wachtwoord';
    const plain = predict(train([...set, { ...example(line, 'declaraties') }]), features({ subject: '', text: line }));
    const weighted = predict(train([...set, { ...example(line, 'declaraties'), weight: 4 }]), features({ subject: '', text: line }));
    const p = (ranked: typeof plain) => ranked.find((r) => r.label === 'declaraties')!.probability;
    expect(p(weighted)).toBeGreaterThan(p(plain));
  });
});
