/** Words of the agent workspace that more than one page uses. */
export const CHANNEL_LABELS: Record<string, string> = {
  email: 'E-mail',
  webform: 'Webformulier',
  chat: 'Chat',
  phone: 'Telefoon',
  post: 'Post',
};

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
