import { describe, expect, it } from 'vitest';
import { automaticReason, type HeaderLookup } from './automatic.js';

const headers =
  (entries: Record<string, string | string[]>): HeaderLookup =>
  (name) => {
    const value = entries[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };

const check = (entries: Record<string, string | string[]>, from = ['jan@example.org'], contentType = 'text/plain') =>
  automaticReason(headers(entries), { involved: from, answerTo: from[0] }, contentType);

describe('automaticReason', () => {
  it('lets an ordinary mail through, including Auto-Submitted: no', () => {
    expect(check({})).toBeUndefined();
    expect(check({ 'auto-submitted': 'no' })).toBeUndefined();
    expect(check({ 'x-auto-response-suppress': 'None' })).toBeUndefined();
    expect(check({ precedence: 'first-class' })).toBeUndefined();
  });

  it('recognises every kind of machine mail', () => {
    expect(check({ 'auto-submitted': 'auto-replied' })).toBe('auto-submitted');
    expect(check({ 'auto-submitted': 'auto-generated; owner-email="x@y"' })).toBe('auto-submitted');
    expect(check({ precedence: 'bulk' })).toBe('precedence');
    expect(check({ precedence: 'Junk' })).toBe('precedence');
    expect(check({ precedence: 'list' })).toBe('precedence');
    expect(check({ 'x-auto-response-suppress': 'All' })).toBe('auto-response-suppress');
    expect(check({ 'list-id': '<hr.lists.example.org>' })).toBe('list');
    expect(check({ 'list-unsubscribe': '<mailto:leave@example.org>' })).toBe('list');
    expect(check({ 'x-autoreply': 'yes' })).toBe('x-autoreply');
    expect(check({ 'x-autorespond': 'yes' })).toBe('x-autoreply');
    expect(check({ 'return-path': '<>' })).toBe('null-return-path');
    expect(check({}, ['MAILER-DAEMON@mx.example.org'])).toBe('system-sender');
    expect(check({}, ['postmaster@example.org'])).toBe('system-sender');
    expect(check({}, ['no-reply@portal.example.org'])).toBe('system-sender');
    expect(check({}, ['noreply+abc@example.org'])).toBe('system-sender');
    expect(check({}, ['jan@example.org'], 'multipart/report; report-type=delivery-status')).toBe('report');
  });

  it("counts a mail system in Reply-To as a machine, but answers a person behind a portal's no-reply From", () => {
    const reason = (involved: string[], answerTo: string) => automaticReason(headers({}), { involved, answerTo }, 'text/plain');
    expect(reason(['jan@example.org', 'mailer-daemon@mx.example.org'], 'mailer-daemon@mx.example.org')).toBe('system-sender');
    expect(reason(['mailer-daemon@mx.example.org', 'jan@example.org'], 'jan@example.org')).toBe('system-sender');
    expect(reason(['jan@example.org', 'no-reply@portal.example.org'], 'no-reply@portal.example.org')).toBe('system-sender');
    expect(reason(['no-reply@portal.example.org', 'jan@example.org'], 'jan@example.org')).toBeUndefined();
  });

  it('does not mistake a person whose name merely contains those words', () => {
    expect(check({}, ['postmasterjansen@example.org'])).toBeUndefined();
    expect(check({}, ['replyguy@example.org'])).toBeUndefined();
  });
});
