import { formatLongDate, type PlainDate } from './calendar.js';
import type { ChannelName, Locale } from './message.js';

export interface AcknowledgementInput {
  locale: Locale;
  channel: ChannelName;
  name?: string;
  reference: string;
  answerBy: PlainDate;
  subject: string;
}

type Text = { subject: string; body: string };

/** The subject tag that carries a registration number through a mail thread. */
export const referenceTag = (reference: string) => `[${reference}]`;

/** Salutation, the paragraphs and the closing of every automatic letter, in its language. */
export function letter(locale: Locale, name: string | undefined, paragraphs: string[]): string {
  const en = locale === 'en';
  const salutation = `${en ? 'Dear' : 'Beste'} ${name?.trim() || (en ? 'sir or madam' : 'heer of mevrouw')},`;
  const closing = en ? ['Kind regards,', 'The contact center'] : ['Met vriendelijke groet,', 'Het contactcenter'];
  return [salutation, '', ...paragraphs.flatMap((paragraph) => [paragraph, '']), ...closing].join('\n');
}

const about = (subject: string) => (subject.trim() ? `: ${subject.trim().slice(0, 150)}` : '');

/** The text of the receipt every new case gets: its number and when to expect an answer. */
export function acknowledgement(input: AcknowledgementInput): Text {
  const date = formatLongDate(input.answerBy, input.locale);
  const tag = `${referenceTag(input.reference)}${about(input.subject)}`;
  if (input.locale === 'en') {
    return {
      subject: `We have received your message ${tag}`,
      body: letter('en', input.name, [
        `Thank you for your message. We have registered it under number ${input.reference}.\nYou can expect an answer by ${date} at the latest.`,
        'Please quote this number if you contact us again about this question.',
      ]),
    };
  }
  return {
    subject: `Ontvangstbevestiging ${tag}`,
    body: letter('nl', input.name, [
      `Bedankt voor uw bericht. Wij hebben het geregistreerd onder nummer ${input.reference}.\nU kunt uiterlijk op ${date} een antwoord verwachten.`,
      'Noem dit nummer als u ons opnieuw benadert over deze vraag.',
    ]),
  };
}

/** The polite answer to a mail over the size limit: it was not taken in, and how to send it instead. */
export function tooLargeNotice(input: AcknowledgementInput): Text {
  const tag = `${referenceTag(input.reference)}${about(input.subject)}`;
  if (input.locale === 'en') {
    return {
      subject: `Your message is too large ${tag}`,
      body: letter('en', input.name, [
        `Your message was too large for us to receive, so we could not read it. We have registered it under number ${input.reference}.\nPlease send it again with smaller or fewer attachments, or use the contact form on the portal.`,
      ]),
    };
  }
  return {
    subject: `Uw bericht is te groot ${tag}`,
    body: letter('nl', input.name, [
      `Uw bericht was te groot om te ontvangen; wij konden het daarom niet lezen. Wij hebben het geregistreerd onder nummer ${input.reference}.\nWilt u het opnieuw sturen met kleinere of minder bijlagen, of het contactformulier op het portaal gebruiken?`,
    ]),
  };
}
