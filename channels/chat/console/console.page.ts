import { readFile } from 'node:fs/promises';
import { and, asc, isNull, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../src/db/database.js';
import { users } from '../../../src/db/schema.js';
import type { TopicCache } from '../../../src/topic.store.js';
import { html, type SafeHtml } from '../../../src/ui/html.js';
import { layout } from '../../../src/ui/layout.js';
import { languageSwitch, uiLocale } from '../../../src/workspace/language.js';

export interface ChatConsoleOptions {
  db: Db;
  topics: TopicCache;
  /** The admin's limit of conversations per agent. */
  maxChatsPerAgent: () => Promise<number>;
  /** The built console script (npm run build writes it beside the widget). */
  consoleFile: string;
}

/**
 * Every sentence of the chat console, in Dutch and English. What the script says (`client`)
 * travels in the page's data; `{name}`-style places are filled in by the script.
 */
const TEXTS = {
  nl: {
    title: 'Chats',
    back: 'Terug naar de werkplek',
    connecting: 'Verbinden met de chat…',
    noScript: (cases: SafeHtml) => html`De chatconsole werkt alleen met JavaScript aan. Chatgesprekken staan daarna ook als zaak in ${cases}.`,
    casesLink: 'de zaken',
    queueTitle: (count: SafeHtml) => html`Wachtende chats (${count})`,
    queueEmpty: 'Er wacht nu niemand.',
    mineTitle: (held: SafeHtml, max: number) => html`Mijn gesprekken (${held} van ${max})`,
    sessionsEmpty: 'U voert nu geen chatgesprek. Neem een wachtende chat aan.',
    client: {
      clockLocale: 'nl-NL',
      closed: 'Het gesprek is afgesloten.',
      timeout: 'Het gesprek is gesloten: de bezoeker reageerde niet meer.',
      redirected: 'Het gesprek is doorverwezen naar formulier, mail of telefoon.',
      waitedUnderMinute: 'wacht minder dan een minuut',
      waitedMinute: 'wacht 1 minuut',
      waitedMinutes: 'wacht {minutes} minuten',
      connected: 'Verbonden. Nieuwe chats verschijnen hier vanzelf.',
      disconnected: 'De verbinding is weg; Loket verbindt opnieuw…',
      connectError: 'Geen verbinding met de chat. Loket probeert het opnieuw…',
      assigned: '{name} is naar u doorverbonden.',
      aVisitor: 'Een bezoeker',
      otherTopic: 'iets anders',
      newChat: 'Nieuwe chat van {name} over {topic}.',
      newChatNoName: 'Nieuwe chat van een bezoeker over {topic}.',
      newChats: '{count} nieuwe chats wachten.',
      title: 'Chats',
      nameless: 'Bezoeker zonder naam',
      accept: 'Aannemen',
      acceptLabel: 'Chat van {name} aannemen',
      full: 'U voert al {max} gesprekken tegelijk.',
      noAnswer: 'Loket antwoordde niet op tijd. Probeer het opnieuw.',
      case: 'Zaak ',
      caseComing: 'De zaak wordt aangemaakt…',
      logLabel: 'Gesprek met {name}',
      formLabel: 'Bericht aan {name}',
      inputLabel: 'Uw bericht aan {name}',
      inputHint: ' (Enter verstuurt, Shift+Enter is een nieuwe regel)',
      send: 'Versturen',
      toQueue: 'Terug naar de wachtrij',
      transferTo: 'Doorverbinden naar',
      transfer: 'Doorverbinden',
      close: 'Gesprek afsluiten',
      transferFailed: 'Doorverbinden lukte niet. Probeer het opnieuw.',
      transferred: 'Het gesprek is doorverbonden naar {to}.',
      requeued: 'Het gesprek staat weer in de wachtrij.',
      closeFailed: 'Afsluiten lukte niet. Probeer het opnieuw.',
      visitor: 'Bezoeker',
      agent: 'Medewerker',
      system: 'Loket',
      notSent: 'Uw bericht is niet verstuurd. Probeer het opnieuw.',
      typing: 'De bezoeker typt…',
      hide: 'Gesprek verbergen',
    },
  },
  en: {
    title: 'Chats',
    back: 'Back to the workspace',
    connecting: 'Connecting to the chat…',
    noScript: (cases: SafeHtml) => html`The chat console only works with JavaScript on. Chat conversations also appear as cases in ${cases} afterwards.`,
    casesLink: 'the cases',
    queueTitle: (count: SafeHtml) => html`Waiting chats (${count})`,
    queueEmpty: 'Nobody is waiting right now.',
    mineTitle: (held: SafeHtml, max: number) => html`My conversations (${held} of ${max})`,
    sessionsEmpty: 'You are not in a chat right now. Accept a waiting chat.',
    client: {
      clockLocale: 'en-GB',
      closed: 'The conversation has ended.',
      timeout: 'The conversation was closed: the visitor stopped responding.',
      redirected: 'The conversation was referred to the form, e-mail or phone.',
      waitedUnderMinute: 'waiting less than a minute',
      waitedMinute: 'waiting 1 minute',
      waitedMinutes: 'waiting {minutes} minutes',
      connected: 'Connected. New chats appear here automatically.',
      disconnected: 'The connection was lost; Loket is reconnecting…',
      connectError: 'No connection to the chat. Loket is trying again…',
      assigned: '{name} was transferred to you.',
      aVisitor: 'A visitor',
      otherTopic: 'something else',
      newChat: 'New chat from {name} about {topic}.',
      newChatNoName: 'New chat from a visitor about {topic}.',
      newChats: '{count} new chats are waiting.',
      title: 'Chats',
      nameless: 'Visitor without a name',
      accept: 'Accept',
      acceptLabel: 'Accept the chat from {name}',
      full: 'You are already in {max} conversations at once.',
      noAnswer: 'Loket did not answer in time. Please try again.',
      case: 'Case ',
      caseComing: 'The case is being created…',
      logLabel: 'Conversation with {name}',
      formLabel: 'Message to {name}',
      inputLabel: 'Your message to {name}',
      inputHint: ' (Enter sends, Shift+Enter starts a new line)',
      send: 'Send',
      toQueue: 'Back to the queue',
      transferTo: 'Transfer to',
      transfer: 'Transfer',
      close: 'End the conversation',
      transferFailed: 'The transfer failed. Please try again.',
      transferred: 'The conversation was transferred to {to}.',
      requeued: 'The conversation is back in the queue.',
      closeFailed: 'Ending the conversation failed. Please try again.',
      visitor: 'Visitor',
      agent: 'Agent',
      system: 'Loket',
      notSent: 'Your message was not sent. Please try again.',
      typing: 'The visitor is typing…',
      hide: 'Hide the conversation',
    },
  },
} as const;

/** What the console script says, in the agent's language (`{name}`-style places filled in by the script). */
export type ConsoleTexts = { readonly [K in keyof (typeof TEXTS)['nl']['client']]: string };

/** What the console script needs beside the socket: topic names, colleagues to transfer to, the limit, its texts. */
export interface ConsoleData {
  me: string;
  maxPerAgent: number;
  topics: Record<string, string>;
  colleagues: { agent: string; name: string }[];
  texts: ConsoleTexts;
}

/** The console's own rules, served as /werkplek/chats.css (the CSP allows no style element). */
const CONSOLE_STYLE = `
.console { display: grid; grid-template-columns: minmax(16rem, 1fr) 3fr; gap: 1.5rem; align-items: start; }
@media (max-width: 60rem) { .console { grid-template-columns: 1fr; } }
.chat-queue ol { list-style: none; padding: 0; margin: 0; }
.chat-queue li { border: 1px solid #ccc; border-radius: 4px; padding: .5rem .75rem; margin-bottom: .75rem; }
.chat-queue li button { margin-top: .5rem; }
.chat-queue .first-line { margin: .25rem 0 0; font-style: italic; }
.chat-sessions { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
.chat-session { border: 1px solid #999; border-radius: 4px; padding: .75rem; display: flex; flex-direction: column; }
.chat-session h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
.chat-session.closed { opacity: .8; border-style: dashed; }
.chat-log { padding: .5rem; margin: .5rem 0; height: 18rem; overflow-y: auto; background: #f7f7f7; border-radius: 3px; }
.chat-log .line { margin: .35rem 0; max-width: 85%; padding: .35rem .6rem; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.chat-log .line.visitor { background: #fff; border: 1px solid #ccc; }
.chat-log .line.agent { background: #dce9f7; margin-left: auto; }
.chat-log .line.system { background: none; color: var(--muted); font-size: .9rem; max-width: 100%; }
.chat-log .who { display: block; font-size: .8rem; color: var(--muted); }
.chat-session textarea { min-height: 4rem; }
.chat-session .typing { min-height: 1.5rem; margin: 0; color: var(--muted); font-size: .9rem; }
.chat-session .actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.chat-session .actions button, .chat-session form button { margin-top: .5rem; }
.chat-session .transfer { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; }
.chat-session .transfer select { width: auto; }
button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
`;

/**
 * GET /werkplek/chats: the agents' chat console, live over the /agents socket: the waiting
 * chats (topic, waiting time, first line), accept, the conversations held with typing both
 * ways, transfer and close. GET /werkplek/chats.js: its script, bundled like the widget;
 * GET /werkplek/chats.css: its styles.
 */
export function registerChatConsole(app: FastifyInstance, options: ChatConsoleOptions): void {
  let script: Promise<Buffer> | undefined;

  app.get('/werkplek/chats', { config: { access: 'agent' } }, async (request, reply) => {
    const principal = request.principal!;
    const lang = uiLocale(request);
    const t = TEXTS[lang];
    const [topics, colleagues, maxPerAgent] = await Promise.all([options.topics.get(), transferTargets(options.db), options.maxChatsPerAgent()]);
    const me = `${principal.name} (#${principal.id})`;
    const data: ConsoleData = {
      me,
      maxPerAgent,
      topics: Object.fromEntries(topics.map((topic) => [topic.key, lang === 'en' ? topic.nameEn : topic.nameNl])),
      colleagues: colleagues.filter((c) => c.agent !== me),
      texts: t.client,
    };
    const body = html`<link rel="stylesheet" href="/werkplek/chats.css">
<p><a href="/werkplek">${t.back}</a></p>
<h1>${t.title}</h1>
<p id="console-status" role="status">${t.connecting}</p>
<noscript><p class="error-summary">${t.noScript(html`<a href="/werkplek/zaken?channel=chat">${t.casesLink}</a>`)}</p></noscript>
<p id="console-alert" role="alert" class="field-error"></p>
<div class="console">
<section class="chat-queue" aria-labelledby="queue-title">
<h2 id="queue-title">${t.queueTitle(html`<span id="queue-count">0</span>`)}</h2>
<p id="queue-empty" class="meta">${t.queueEmpty}</p>
<ol id="chat-queue"></ol>
</section>
<section aria-labelledby="mine-title">
<h2 id="mine-title">${t.mineTitle(html`<span id="held-count">0</span>`, maxPerAgent)}</h2>
<p id="sessions-empty" class="meta">${t.sessionsEmpty}</p>
<div id="chat-sessions" class="chat-sessions"></div>
</section>
</div>
<div id="console-data" hidden data-json="${JSON.stringify(data)}"></div>
<script src="/werkplek/chats.js" defer></script>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang, header: languageSwitch(request), title: t.title, body, wide: true }));
  });

  app.get('/werkplek/chats.css', { config: { access: 'agent' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'private, max-age=300').send(CONSOLE_STYLE),
  );

  app.get('/werkplek/chats.js', { config: { access: 'agent' } }, async (_request, reply) => {
    script ??= readFile(options.consoleFile).catch((err: unknown) => {
      script = undefined; // built later: try again on the next request
      throw err;
    });
    try {
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'private, no-cache')
        .send(await script);
    } catch {
      app.log.error({ file: options.consoleFile }, 'chat console not built; run npm run build');
      return reply.code(503).type('text/plain; charset=utf-8').send('The chat console is not built on this server.\n');
    }
  });
}

/** The accounts a conversation can be handed to, named as the socket names them. Admins do not chat. */
async function transferTargets(db: Db): Promise<{ agent: string; name: string }[]> {
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(isNull(users.disabledAt), ne(users.role, 'admin')))
    .orderBy(asc(users.name));
  return rows.map((row) => ({ agent: `${row.name} (#${row.id})`, name: row.name }));
}
