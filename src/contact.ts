import type { Sender } from './message.js';
import { normalizePhone } from './phone-number.js';

/**
 * Whether a message's sender is the case's own contact: they share an e-mail address (a
 * mail's Reply-To counts), an employee number or a phone number. Only then may a quoted
 * registration number or a mail thread join the message to the case; a name alone never.
 * An employee number counts when it is known to be the sender's: vouched for by the
 * employees' portal, or taken down by an agent (phone, letter); one typed on the public form
 * is anybody's claim.
 */
export function isCaseContact(contact: Sender, sender: Sender): boolean {
  const emails = (who: Sender) => [who.email, who.replyTo].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase());
  const contactEmails = new Set(emails(contact));
  if (emails(sender).some((email) => contactEmails.has(email))) return true;
  const employee = (who: Sender) => who.employeeNumber?.replace(/\s+/g, '').toUpperCase() || undefined;
  if (!sender.employeeNumberUnverified && employee(contact) && employee(contact) === employee(sender)) return true;
  const phone = (who: Sender) => (who.phone ? normalizePhone(who.phone) : undefined) || undefined;
  return !!phone(contact) && phone(contact) === phone(sender);
}
