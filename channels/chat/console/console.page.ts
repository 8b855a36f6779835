import { readFile } from 'node:fs/promises';
import { and, asc, isNull, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../src/db/database.js';
import { users } from '../../../src/db/schema.js';
import type { TopicCache } from '../../../src/topic.store.js';
import { html } from '../../../src/ui/html.js';
import { layout } from '../../../src/ui/layout.js';

export interface ChatConsoleOptions {
  db: Db;
  topics: TopicCache;
  /** The admin's limit of conversations per agent. */
  maxChatsPerAgent: () => Promise<number>;
  /** The built console script (npm run build writes it beside the widget). */
  consoleFile: string;
}

/** What the console script needs beside the socket: topic names, colleagues to transfer to, the limit. */
export interface ConsoleData {
  me: string;
  maxPerAgent: number;
  topics: Record<string, string>;
  colleagues: { agent: string; name: string }[];
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
    const [topics, colleagues, maxPerAgent] = await Promise.all([options.topics.get(), transferTargets(options.db), options.maxChatsPerAgent()]);
    const me = `${principal.name} (#${principal.id})`;
    const data: ConsoleData = {
      me,
      maxPerAgent,
      topics: Object.fromEntries(topics.map((t) => [t.key, t.nameNl])),
      colleagues: colleagues.filter((c) => c.agent !== me),
    };
    const body = html`<link rel="stylesheet" href="/werkplek/chats.css">
<p><a href="/werkplek">Terug naar de werkplek</a></p>
<h1>Chats</h1>
<p id="console-status" role="status">Verbinden met de chat…</p>
<noscript><p class="error-summary">De chatconsole werkt alleen met JavaScript aan. Chatgesprekken staan daarna ook als zaak in <a href="/werkplek/zaken?channel=chat">de zaken</a>.</p></noscript>
<p id="console-alert" role="alert" class="field-error"></p>
<div class="console">
<section class="chat-queue" aria-labelledby="queue-title">
<h2 id="queue-title">Wachtende chats (<span id="queue-count">0</span>)</h2>
<p id="queue-empty" class="meta">Er wacht nu niemand.</p>
<ol id="chat-queue"></ol>
</section>
<section aria-labelledby="mine-title">
<h2 id="mine-title">Mijn gesprekken (<span id="held-count">0</span> van ${maxPerAgent})</h2>
<p id="sessions-empty" class="meta">U voert nu geen chatgesprek. Neem een wachtende chat aan.</p>
<div id="chat-sessions" class="chat-sessions"></div>
</section>
</div>
<div id="console-data" hidden data-json="${JSON.stringify(data)}"></div>
<script src="/werkplek/chats.js" defer></script>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(layout({ lang: 'nl', title: 'Chats', body, wide: true }));
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
