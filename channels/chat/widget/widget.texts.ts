import type { ChatLocale, ClosedReason } from '../chat.protocol.js';

const nl = {
  launcher: 'Chat met ons',
  title: 'Chat met het contactcenter',
  hidePanel: 'Chatvenster sluiten',
  loading: 'De chat wordt geladen…',
  configFailed: 'De chat kan nu niet worden geladen. Probeer het later opnieuw.',
  retry: 'Opnieuw proberen',
  offlineTitle: 'De chat is nu gesloten',
  offlineHours: 'U kunt chatten van maandag tot en met vrijdag van 08:00 tot 22:00 uur, niet op nationale feestdagen.',
  offlineOther: 'U kunt ons ook op een andere manier bereiken:',
  contactForm: 'Stuur een bericht via het contactformulier',
  emailLabel: 'E-mail:',
  phoneLabel: 'Telefoon:',
  prechatIntro: 'Via de chat helpen wij u met de onderwerpen hieronder. Vul uw gegevens in; een medewerker helpt u zo snel mogelijk.',
  required: 'verplicht',
  optional: 'niet verplicht',
  name: 'Naam',
  email: 'E-mailadres',
  employeeNumber: 'Personeelsnummer',
  topic: 'Waar gaat uw vraag over?',
  topicOther: 'Iets anders',
  transcript: 'Stuur mij het gesprek per e-mail',
  transcriptHint: 'Vul eerst uw e-mailadres in.',
  start: 'Chat starten',
  errorPrefix: 'Fout:',
  nameMissing: 'Vul uw naam in.',
  emailInvalid: 'Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.',
  conversation: 'Gesprek',
  message: 'Uw bericht',
  send: 'Versturen',
  end: 'Gesprek beëindigen',
  newChat: 'Nieuw gesprek',
  connecting: 'Verbinding maken…',
  reconnecting: 'De verbinding is weg. Wij proberen opnieuw te verbinden…',
  waiting: (position?: number) => (position ? `U bent nummer ${position} in de rij.` : 'U staat in de rij.'),
  withAgent: 'Een medewerker helpt u nu.',
  closed: {
    closed: 'Het gesprek is beëindigd.',
    timeout: 'Het gesprek is beëindigd omdat het een tijd stil bleef.',
    redirected: 'Het gesprek is beëindigd.',
  } satisfies Record<ClosedReason, string>,
  typing: 'De medewerker typt…',
  sending: 'Wordt verstuurd…',
  sent: 'Verstuurd',
  notSent: 'Niet verstuurd:',
  from: { visitor: 'U', agent: 'Medewerker', system: 'Melding' },
  noAnswer: 'De chat reageert niet. Controleer uw verbinding en probeer het opnieuw.',
};

export type Texts = typeof nl;

const en: Texts = {
  launcher: 'Chat with us',
  title: 'Chat with the contact center',
  hidePanel: 'Close chat window',
  loading: 'Loading the chat…',
  configFailed: 'The chat cannot be loaded right now. Please try again later.',
  retry: 'Try again',
  offlineTitle: 'The chat is closed right now',
  offlineHours: 'You can chat Monday to Friday from 08:00 to 22:00, except on national holidays.',
  offlineOther: 'You can also reach us another way:',
  contactForm: 'Send a message with the contact form',
  emailLabel: 'E-mail:',
  phoneLabel: 'Phone:',
  prechatIntro: 'In the chat we help you with the topics below. Fill in your details; an advisor will help you as soon as possible.',
  required: 'required',
  optional: 'optional',
  name: 'Name',
  email: 'E-mail address',
  employeeNumber: 'Employee number',
  topic: 'What is your question about?',
  topicOther: 'Something else',
  transcript: 'E-mail me the conversation',
  transcriptHint: 'Fill in your e-mail address first.',
  start: 'Start chat',
  errorPrefix: 'Error:',
  nameMissing: 'Fill in your name.',
  emailInvalid: 'Fill in a valid e-mail address, for example name@example.com.',
  conversation: 'Conversation',
  message: 'Your message',
  send: 'Send',
  end: 'End conversation',
  newChat: 'New conversation',
  connecting: 'Connecting…',
  reconnecting: 'The connection was lost. Trying to reconnect…',
  waiting: (position?: number) => (position ? `You are number ${position} in line.` : 'You are in line.'),
  withAgent: 'An employee is with you.',
  closed: {
    closed: 'The conversation has ended.',
    timeout: 'The conversation ended because it was quiet for a while.',
    redirected: 'The conversation has ended.',
  },
  typing: 'The employee is typing…',
  sending: 'Sending…',
  sent: 'Sent',
  notSent: 'Not sent:',
  from: { visitor: 'You', agent: 'Employee', system: 'Notice' },
  noAnswer: 'The chat does not respond. Check your connection and try again.',
};

/** Every sentence the widget shows, in Dutch and English. */
export const TEXTS: Record<ChatLocale, Texts> = { nl, en };

/** The server sends Dutch topic labels; these stand in for them in English. */
const TOPIC_LABELS_EN: Record<string, string> = {
  inloggen: 'Logging in',
  personeelsgesprekken: 'Performance reviews',
};

/** The label to show for a chat topic in the widget's language. */
export function topicLabel(topic: { key: string; label: string }, locale: ChatLocale): string {
  return (locale === 'en' && TOPIC_LABELS_EN[topic.key]) || topic.label;
}
