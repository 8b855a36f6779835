import type { FastifyInstance } from 'fastify';
import { html } from '../ui/html.js';
import { layout } from '../ui/layout.js';

const ROLE_NAMES = { agent: 'medewerker', coordinator: 'coördinator', admin: 'beheerder', privacy: 'privacyfunctionaris' } as const;

/** GET /werkplek: where a login lands; the workspace grows from here. */
export function registerWorkspaceHome(app: FastifyInstance): void {
  app.get('/werkplek', { config: { access: 'agent' } }, async (request, reply) => {
    const principal = request.principal!;
    const page = layout({
      lang: 'nl',
      title: 'Werkplek',
      body: html`<h1>Werkplek</h1>
<p>U bent ingelogd als <strong>${principal.name}</strong> (${ROLE_NAMES[principal.role]}).</p>
<nav aria-label="Werkplek">
  <ul>
    <li><a href="/werkplek/meldingen">Meldingen</a> (toegewezen zaken, vermeldingen met @, reacties op uw zaken)</li>
    <li><a href="/werkplek/chats">Chats</a> (wachtende chats aannemen en beantwoorden)</li>
    <li><a href="/werkplek/zaken">Zaken</a> (<a href="/werkplek/zaken?mine=1">aan mij toegewezen</a>, <a href="/werkplek/zaken?overdue=1">te laat</a>)</li>
    <li><a href="/werkplek/gesprek">Telefoongesprek vastleggen</a></li>
    <li><a href="/werkplek/terugbellen">Terugbelverzoeken</a></li>
    <li><a href="/werkplek/brief">Brief invoeren</a></li>
    <li><a href="/werkplek/afdrukken">Brieven afdrukken</a></li>
    ${principal.role === 'agent' ? '' : html`<li><a href="/werkplek/werklast">Werklast</a> (open zaken per medewerker en team, wachtende chats)</li>`}
    ${principal.role === 'agent' ? '' : html`<li><a href="/werkplek/klachten">Klachten</a> (per stand van de procedure en termijn)</li>`}
    ${principal.role === 'agent' ? '' : html`<li><a href="/werkplek/termijnen">Termijnen</a> (per week het deel dat op tijd is beantwoord, per kanaal en onderwerp)</li>`}
    ${principal.role === 'admin' ? html`<li><a href="/admin">Beheer</a></li><li><a href="/admin/queues">Wachtrijen</a></li>` : ''}
  </ul>
</nav>
<form method="post" action="/logout">
  <input type="hidden" name="_csrf" value="${request.csrfToken ?? ''}">
  <button type="submit">Uitloggen</button>
</form>`,
    });
    return reply.type('text/html; charset=utf-8').send(page);
  });
}
