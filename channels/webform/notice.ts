import { letter, referenceTag } from '../../src/acknowledgement.js';
import type { OutboundMessage } from '../../src/channel.js';

/**
 * The mail that announces a new entry on a form sender's case page. An acknowledgement
 * holds nothing personal and is copied in full; any other answer stays behind the link.
 */
export function noticeMail(out: OutboundMessage, casePageUrl: string): { subject: string; text: string } {
  const en = out.locale === 'en';
  if (out.kind === 'acknowledgement') {
    return { subject: out.subject, text: `${out.body}\n\n${en ? 'Your case page' : 'Uw zaakpagina'}: ${casePageUrl}\n` };
  }
  const tag = referenceTag(out.case.reference);
  return {
    subject: en ? `New message about your question ${tag}` : `Nieuw bericht over uw vraag ${tag}`,
    text: `${letter(out.locale, out.recipient.name, [
      en
        ? `There is a new message about your question ${out.case.reference}.\nRead it on your case page: ${casePageUrl}`
        : `Er staat een nieuw bericht voor u klaar over uw vraag ${out.case.reference}.\nU leest het op uw zaakpagina: ${casePageUrl}`,
    ])}\n`,
  };
}
