import { describe, expect, it } from 'vitest';
import { isCaseContact } from './contact.js';

describe('isCaseContact', () => {
  const bob = { name: 'Bob Jansen', email: 'Bob@Example.org', employeeNumber: '104 882', phone: '06 12345678' };

  it('knows the contact by e-mail address in any case, by Reply-To, by employee number or by phone', () => {
    expect(isCaseContact(bob, { email: 'bob@example.org' })).toBe(true);
    expect(isCaseContact(bob, { email: 'no-reply@portal.example', replyTo: 'bob@example.org' })).toBe(true);
    expect(isCaseContact({ email: 'no-reply@portal.example', replyTo: 'bob@example.org' }, { email: 'bob@example.org' })).toBe(true);
    expect(isCaseContact(bob, { name: 'B. Jansen', employeeNumber: '104882' })).toBe(true);
    expect(isCaseContact(bob, { phone: '+31 6-1234 5678' })).toBe(true);
  });

  it('does not take a stranger for the contact, not by name and not by an empty field', () => {
    expect(isCaseContact(bob, { name: 'Bob Jansen', email: 'mallory@evil.example' })).toBe(false);
    expect(isCaseContact({ name: 'Anoniem' }, { name: 'Anoniem' })).toBe(false);
    expect(isCaseContact({ email: 'a@example.org' }, {})).toBe(false);
    expect(isCaseContact({}, {})).toBe(false);
  });

  it('does not take an employee number typed on the public form for proof, but one the portal vouched for', () => {
    expect(isCaseContact(bob, { name: 'Mallory', employeeNumber: '104882', employeeNumberUnverified: true })).toBe(false);
    expect(isCaseContact(bob, { employeeNumber: '104882', verified: { issuer: 'https://portaal.example.org', subject: 'u-1' } })).toBe(true);
  });
});
