import { html, type SafeHtml } from '../ui/html.js';
import { chatConsoleForm } from './chat-console.form.js';
import { classifyConfidenceForm } from './classify.form.js';
import { retentionPeriodsForm } from './retention.form.js';
import { slaForm } from './sla.form.js';
import { complaintDeadlinesForm } from './complaint.form.js';
import { chatTopicsForm } from './chat-topics.form.js';
import { deliveryRetryForm } from './delivery.form.js';
import { officeHoursForm } from './office-hours.form.js';
import { rulesForm } from './rules.form.js';
import type { SettingForm } from './setting.form.js';
import type { VersionedKey } from './settings.versions.js';
import { templatesForm } from './templates.form.js';
import { topicsForm } from './topics.form.js';

export interface SettingEditor {
  slug: string;
  key: VersionedKey;
  title: string;
  /** Above the form. */
  formHelp: SafeHtml;
  form: SettingForm;
  /** Above the JSON editor: the shape of the value. */
  jsonHelp: SafeHtml;
}

const RULES_JSON_HELP = html`<p>Regels gelden van boven naar beneden. Een regel werkt als <em>alle</em> voorwaarden in <code>when</code> kloppen;
een latere regel kan overschrijven wat een eerdere besliste, tenzij die <code>"stop": true</code> heeft.</p>
<details><summary>Voorwaarden en acties</summary>
<p><strong>when</strong>: <code>channels</code> (email, webform, chat, phone, post), <code>topics</code>, <code>senders</code> (adres of <code>@domein.nl</code>),
<code>subjectContains</code>, <code>bodyContains</code>, <code>subjectMatches</code>/<code>bodyMatches</code> (reguliere expressie in RE2-syntaxis, max. 200 tekens),
<code>hasAttachment</code> (true/false), <code>officeHours</code> ("inside"/"outside").</p>
<p><strong>then</strong>: <code>topic</code>, <code>team</code>, <code>priority</code> (low/normal/high), <code>complaint</code> (true: onderwerp klacht),
<code>replyTemplate</code> (sleutel van een antwoordsjabloon, vervangt de ontvangstbevestiging), <code>stop</code> (true).</p>
<pre>[{ "id": "bzk-spoed", "name": "BZK met voorrang", "when": { "senders": ["@minbzk.nl"] }, "then": { "priority": "high", "team": "spoed" } }]</pre>
</details>`;

/** The versioned settings admins edit, each with its form and its JSON view. */
export const SETTING_EDITORS: SettingEditor[] = [
  {
    slug: 'regels',
    key: 'routing.rules',
    title: 'Routeringsregels',
    form: rulesForm,
    formHelp: html`<p>Regels gelden van boven naar beneden. Een regel werkt als <em>alle</em> ingevulde voorwaarden kloppen;
een latere regel kan overschrijven wat een eerdere besliste, tenzij die eerdere regel <em>Stoppen</em> aan heeft.</p>`,
    jsonHelp: RULES_JSON_HELP,
  },
  {
    slug: 'onderwerpen',
    key: 'topics',
    title: 'Onderwerpen',
    form: topicsForm,
    formHelp: html`<p>Het onderwerp van een bericht herkent Loket met een model dat leert van voorbeeldvragen en van de correcties van medewerkers (<a href="/admin/herkenning/correcties">Onderwerpherkenning</a>). Het team van een onderwerp krijgt de zaken ervan. De trefwoorden gelden alleen als er geen model is: dan krijgt een bericht het onderwerp waarvan de trefwoorden het vaakst voorkomen, bij gelijke scores telt de volgorde. Wilt u een onderwerp afdwingen bij bepaalde woorden, maak dan een <a href="/admin/regels">routeringsregel</a>: regels gaan altijd voor.</p>`,
    jsonHelp: html`<p>Trefwoorden gelden alleen zonder model (zie Onderwerpherkenning); de volgorde telt bij gelijke scores. Per onderwerp: <code>key</code>, <code>nameNl</code>, <code>nameEn</code>, <code>keywords</code> (<code>nl</code> en <code>en</code>), <code>team</code>, <code>weight</code> (1–10).</p>`,
  },
  {
    slug: 'chat',
    key: 'chat.topics',
    title: 'Chatonderwerpen',
    form: chatTopicsForm,
    formHelp: html`<p>De onderwerpen die de chat mag behandelen. Andere chatvragen krijgen een verwijzing naar formulier, e-mail en telefoon.</p>`,
    jsonHelp: html`<p>De sleutels van de onderwerpen die de chat mag behandelen. Andere chatvragen krijgen een verwijzing naar formulier, e-mail en telefoon.</p>`,
  },
  {
    slug: 'openingstijden',
    key: 'office.hours',
    title: 'Openingstijden',
    form: officeHoursForm,
    formHelp: html`<p>Op nationale feestdagen is het contactcenter altijd dicht. Buiten openingstijden staat de chat offline.</p>`,
    jsonHelp: html`<p>Maandag tot en met vrijdag, Nederlandse tijd. Op nationale feestdagen is het contactcenter altijd dicht; zet extra sluitingsdagen in <code>extraClosedDays</code> (bijv. <code>"2026-12-24"</code>). Buiten openingstijden staat de chat offline.</p>`,
  },
  {
    slug: 'sjablonen',
    key: 'reply.templates',
    title: 'Antwoordsjablonen',
    form: templatesForm,
    formHelp: html`<p>Automatische antwoorden die een regel in plaats van de ontvangstbevestiging stuurt. Variabelen: <code>{reference}</code> (registratienummer), <code>{answerBy}</code> (uiterste antwoorddatum), <code>{name}</code>, en in een antwoord van een medewerker <code>{agent}</code> (diens naam).</p>`,
    jsonHelp: html`<p>Automatische antwoorden die een regel (<code>replyTemplate</code>) in plaats van de ontvangstbevestiging stuurt. Variabelen: <code>{reference}</code> (registratienummer), <code>{answerBy}</code> (uiterste antwoorddatum), <code>{name}</code>.</p>`,
  },
  {
    slug: 'verzenden',
    key: 'delivery.retry',
    title: 'Verzenden',
    form: deliveryRetryForm,
    formHelp: html`<p>Een antwoord dat niet verstuurd kan worden door een tijdelijke storing (mailserver onbereikbaar) wordt steeds opnieuw geprobeerd, hoogstens een kwartier na de vorige poging. Na deze tijd stopt Loket en krijgt de zaak de aandacht van een medewerker. Een definitieve weigering (adres bestaat niet) stopt meteen.</p>`,
    jsonHelp: html`<p><code>keepTryingHours</code>: hoe lang (in uren, 1 tot 720) een antwoord bij een tijdelijke storing opnieuw wordt geprobeerd.</p>`,
  },
  {
    slug: 'chatconsole',
    key: 'chat.console',
    title: 'Chatconsole',
    form: chatConsoleForm,
    formHelp: html`<p>Hoeveel chatgesprekken één medewerker tegelijk voert. Coördinatoren zien in de chatconsole hoe lang bezoekers wachten.</p>`,
    jsonHelp: html`<p><code>maxPerAgent</code>: het aantal chatgesprekken (1 tot 10) dat één medewerker tegelijk voert.</p>`,
  },
  {
    slug: 'herkenning',
    key: 'classify.confidence',
    title: 'Onderwerpherkenning',
    form: classifyConfidenceForm,
    formHelp: html`<p>Loket herkent het onderwerp van een bericht met een model dat leert van de eigen voorbeeldvragen en van elke onderwerpwijziging door een medewerker (zie <a href="/admin/herkenning">Onderwerpherkenning</a>). Uw regels gaan altijd voor.</p>`,
    jsonHelp: html`<p><code>threshold</code>: de minimale zekerheid (0 tot 1) waarmee het herkende onderwerp wordt gebruikt; daaronder wordt het Overig en kijkt een medewerker.</p>`,
  },
  {
    slug: 'termijnen',
    key: 'sla.targets',
    title: 'Termijnen (SLA)',
    form: slaForm,
    formHelp: html`<p>Wanneer een zaak een eerste reactie en een antwoord moet hebben, geteld in werktijd (openingstijden, feestdagen en extra sluitingsdagen tellen niet). De eerste afspraak die op een zaak past geldt; laat de laatste voor alle zaken gelden. Zolang een zaak wacht op een reactie van de burger staat de klok stil.</p>`,
    jsonHelp: html`<p><code>targets</code>: afspraken met optioneel <code>channel</code>, <code>topic</code>, <code>priority</code> en verplicht <code>firstResponseHours</code> (werkuren) en <code>answerDays</code> (werkdagen); de eerste die past geldt. <code>warnHours</code>: werkuren vooraf gewaarschuwd. <code>promisePercent</code>: het doel.</p>`,
  },
  {
    slug: 'klachttermijnen',
    key: 'complaint.deadlines',
    title: 'Termijnen klachtprocedure',
    form: complaintDeadlinesForm,
    formHelp: html`<p>De termijnen van de klachtprocedure in werkdagen. Gelden voor klachten die vanaf nu binnenkomen of een stap zetten.</p>`,
    jsonHelp: html`<p><code>firstContactDays</code>, <code>resolveDays</code>, <code>satisfactionDays</code>, <code>extraDays</code>: werkdagen (1 tot 60).</p>`,
  },
  {
    slug: 'bewaartermijnen',
    key: 'retention.periods',
    title: 'Bewaartermijnen',
    form: retentionPeriodsForm,
    formHelp: html`<p>Hoe lang een gesloten zaak haar persoonsgegevens houdt, in maanden na het sluiten. Daarna verwijdert Loket elke nacht namen, adressen, nummers, berichten, bijlagen en notities; wat de rapportages tellen blijft. <a href="/admin/bewaartermijnen/proefdraai">Proefdraai: wat de volgende ronde zou verwijderen</a>.</p>`,
    jsonHelp: html`<p><code>questionMonths</code>, <code>complaintMonths</code>, <code>chatMonths</code>, <code>callMonths</code>, <code>letterMonths</code>: maanden (1 tot 240).</p>`,
  },
];

/** The editor of a setting. */
export const editorOf = (key: VersionedKey) => SETTING_EDITORS.find((editor) => editor.key === key)!;
