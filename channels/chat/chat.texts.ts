import type { ChatLocale, Contact } from './chat.protocol.js';

/** The chat's own words, Dutch first; {placeholders} are filled by `fill`. */
const TEXTS = {
  nl: {
    redirect:
      'Bedankt voor uw vraag. Via de chat helpen wij u alleen met vragen over {topics}. ' +
      'Voor uw vraag kunt u het beste het contactformulier gebruiken: {formUrl}. ' +
      'U kunt ons ook mailen op {email} of bellen met {phone} (maandag tot en met vrijdag, 8.00 tot 22.00 uur). ' +
      'Dit chatgesprek wordt nu gesloten.',
    offline:
      'De chat is nu gesloten. Wij zijn bereikbaar van maandag tot en met vrijdag van 8.00 tot 22.00 uur, ' +
      'niet op nationale feestdagen. U kunt ook het contactformulier gebruiken: {formUrl}, ' +
      'ons mailen op {email} of bellen met {phone}.',
    waiting: 'Bedankt, uw vraag is ontvangen. Een medewerker neemt het gesprek zo snel mogelijk over.',
    delayed: 'Er is een storing bij ons. Uw bericht is bewaard, maar een medewerker ziet het later dan gewoonlijk. U hoeft het niet opnieuw te sturen.',
    transcriptSubject: 'Uw chatgesprek met het contactcenter',
    transcriptIntro: 'Hieronder staat het chatgesprek dat u met ons voerde.',
    you: 'U',
    agent: 'Medewerker',
    system: 'Contactcenter',
    and: 'en',
    errors: {
      invalid: 'Dit veld is niet goed ingevuld: {field}.',
      identity: '{text}',
      'not-started': 'Start eerst een gesprek.',
      closed: 'Dit gesprek is gesloten. Start een nieuw gesprek als u nog een vraag hebt.',
      offline: 'De chat is nu gesloten. Gebruik het contactformulier: {formUrl}.',
      'rate-limited': 'U stuurt te veel berichten achter elkaar. Wacht even en probeer het opnieuw.',
      'too-many-conversations':
        'Vanaf uw verbinding zijn het afgelopen uur al veel gesprekken gestart. Probeer het later opnieuw, gebruik het contactformulier ({formUrl}) of bel {phone}.',
      'too-long': 'Uw bericht is te lang (maximaal {max} tekens).',
      'unknown-token': 'Dit gesprek bestaat niet (meer). Start een nieuw gesprek.',
      'not-yours': 'Dit gesprek is niet (meer) van u.',
      taken: 'Een collega heeft dit gesprek al aangenomen.',
      limit: 'U voert al zoveel chatgesprekken als is toegestaan ({max} tegelijk). Rond er eerst een af.',
      internal: 'Er ging iets mis aan onze kant. Probeer het zo nog eens.',
    },
  },
  en: {
    redirect:
      'Thank you for your question. In the chat we can only help you with questions about {topics}. ' +
      'For your question, please use the contact form: {formUrl}. ' +
      'You can also e-mail us at {email} or call {phone} (Monday to Friday, 8 am to 10 pm). ' +
      'This chat will now be closed.',
    offline:
      'The chat is closed now. We are available Monday to Friday from 8 am to 10 pm, ' +
      'except on national holidays. You can also use the contact form: {formUrl}, ' +
      'e-mail us at {email} or call {phone}.',
    waiting: 'Thank you, we have received your question. An advisor will join the conversation as soon as possible.',
    delayed: 'We have a technical problem. Your message is saved, but an advisor will see it later than usual. You do not need to send it again.',
    transcriptSubject: 'Your chat with the contact center',
    transcriptIntro: 'Below is the chat you had with us.',
    you: 'You',
    agent: 'Advisor',
    system: 'Contact center',
    and: 'and',
    errors: {
      invalid: 'This field is not filled in correctly: {field}.',
      identity: '{text}',
      'not-started': 'Please start a conversation first.',
      closed: 'This conversation is closed. Start a new one if you have another question.',
      offline: 'The chat is closed now. Please use the contact form: {formUrl}.',
      'rate-limited': 'You are sending too many messages in a row. Please wait a moment and try again.',
      'too-many-conversations':
        'Many conversations were started from your connection in the past hour. Please try again later, use the contact form ({formUrl}) or call {phone}.',
      'too-long': 'Your message is too long (at most {max} characters).',
      'unknown-token': 'This conversation does not exist (any more). Please start a new one.',
      'not-yours': 'This conversation is not (or no longer) yours.',
      taken: 'A colleague has already accepted this conversation.',
      limit: 'You already hold as many chats as allowed ({max} at once). Finish one first.',
      internal: 'Something went wrong on our side. Please try again shortly.',
    },
  },
} as const;

export type ChatErrorCode = keyof (typeof TEXTS)['nl']['errors'];

export const chatTexts = (locale: ChatLocale) => TEXTS[locale];

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** "inloggen en personeelsgesprekken", "a, b and c". */
export function listOf(items: string[], locale: ChatLocale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${chatTexts(locale).and} ${items[items.length - 1]}`;
}

export function redirectText(locale: ChatLocale, contact: Contact, topicNames: string[]): string {
  return fill(chatTexts(locale).redirect, { ...contact, topics: listOf(topicNames, locale) });
}

export function offlineText(locale: ChatLocale, contact: Contact): string {
  return fill(chatTexts(locale).offline, { ...contact });
}

export function errorText(locale: ChatLocale, code: ChatErrorCode, values: Record<string, string | number> = {}): string {
  return fill(chatTexts(locale).errors[code], values);
}
