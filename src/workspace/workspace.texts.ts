import type { UiLocale } from './language.js';

/** Words of the agent workspace that more than one page uses. */
export const CHANNEL_LABELS: Record<string, string> = {
  email: 'E-mail',
  webform: 'Webformulier',
  chat: 'Chat',
  phone: 'Telefoon',
  post: 'Post',
};

/** The channels, in the order pages list them. */
export const CHANNELS = Object.keys(CHANNEL_LABELS);

export const ATTENTION_LABELS: Record<string, string> = {
  bounce: 'Onbestelbaar: onze mail kwam terug',
  'too-large': 'Te grote mail geweigerd',
  'mentions-case': 'Noemt het zaaknummer van iemand anders',
  'delivery-failed': 'Een antwoord kon niet worden verstuurd',
  'hr-loket': 'Voor het HR-loket: een specialist belt de HR-professional terug',
  'topic-unsure': 'Onderwerp niet zeker herkend: kies het onderwerp',
  'complaint-no-address': 'Klacht zonder schriftelijk adres: vraag een e-mailadres en bevestig de klacht schriftelijk',
};

export const STATUS_LABELS = { open: 'Open', closed: 'Gesloten' } as const;

const longDate = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });

/** "1 dec 2026" for a plain date. */
export const shortDate = (day: string) => longDate.format(new Date(`${day}T12:00:00Z`));
/** "24 nov 2026 10:00" in Amsterdam time. */
export const shortDateTime = (at: Date) => dateTime.format(at);

/** The same words in English, for agents who work in English. */
const CHANNEL_LABELS_EN: Record<string, string> = { email: 'E-mail', webform: 'Web form', chat: 'Chat', phone: 'Phone', post: 'Post' };
const ATTENTION_LABELS_EN: Record<string, string> = {
  bounce: 'Undeliverable: our mail came back',
  'too-large': 'Mail too large, refused',
  'mentions-case': "Quotes someone else's case number",
  'delivery-failed': 'An answer could not be sent',
  'hr-loket': 'For the HR desk: a specialist calls the HR professional back',
  'topic-unsure': 'Topic not recognised with certainty: choose the topic',
  'complaint-no-address': 'Complaint without a written address: ask for an e-mail address and confirm the complaint in writing',
};
const STATUS_LABELS_EN = { open: 'Open', closed: 'Closed' } as const;

/** The shared words in the agent's language. */
export const labels = (lang: UiLocale) =>
  lang === 'en'
    ? { channels: CHANNEL_LABELS_EN, attention: ATTENTION_LABELS_EN, status: STATUS_LABELS_EN }
    : { channels: CHANNEL_LABELS, attention: ATTENTION_LABELS, status: STATUS_LABELS };

const dateTimeEn = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
const longDateEn = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Dates in the agent's language (Amsterdam time). */
export const dates = (lang: UiLocale) =>
  lang === 'en'
    ? { shortDate: (day: string) => longDateEn.format(new Date(`${day}T12:00:00Z`)), shortDateTime: (at: Date) => dateTimeEn.format(at) }
    : { shortDate, shortDateTime };
