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
import type { UiLocale } from '../workspace/language.js';
import type { SettingForm } from './setting.form.js';
import type { VersionedKey } from './settings.versions.js';
import { templatesForm } from './templates.form.js';
import { topicsForm } from './topics.form.js';

/** What an editor's pages say about its setting, in one language. */
export interface EditorTexts {
  title: string;
  /** Above the form. */
  formHelp: SafeHtml;
  /** Above the JSON editor: the shape of the value. */
  jsonHelp: SafeHtml;
}

export interface SettingEditor {
  slug: string;
  key: VersionedKey;
  form: SettingForm;
  texts: Record<UiLocale, EditorTexts>;
}

const RULES_JSON_HELP_NL = html`<p>Regels gelden van boven naar beneden. Een regel werkt als <em>alle</em> voorwaarden in <code>when</code> kloppen;
een latere regel kan overschrijven wat een eerdere besliste, tenzij die <code>"stop": true</code> heeft.</p>
<details><summary>Voorwaarden en acties</summary>
<p><strong>when</strong>: <code>channels</code> (email, webform, chat, phone, post), <code>topics</code>, <code>senders</code> (adres of <code>@domein.nl</code>),
<code>subjectContains</code>, <code>bodyContains</code>, <code>subjectMatches</code>/<code>bodyMatches</code> (reguliere expressie in RE2-syntaxis, max. 200 tekens),
<code>hasAttachment</code> (true/false), <code>officeHours</code> ("inside"/"outside").</p>
<p><strong>then</strong>: <code>topic</code>, <code>team</code>, <code>priority</code> (low/normal/high), <code>complaint</code> (true: onderwerp klacht),
<code>replyTemplate</code> (sleutel van een antwoordsjabloon, vervangt de ontvangstbevestiging), <code>stop</code> (true).</p>
<pre>[{ "id": "bzk-spoed", "name": "BZK met voorrang", "when": { "senders": ["@minbzk.nl"] }, "then": { "priority": "high", "team": "spoed" } }]</pre>
</details>`;

const RULES_JSON_HELP_EN = html`<p>Rules apply from top to bottom. A rule applies when <em>all</em> conditions in <code>when</code> hold;
a later rule can override what an earlier one decided, unless that one has <code>"stop": true</code>.</p>
<details><summary>Conditions and actions</summary>
<p><strong>when</strong>: <code>channels</code> (email, webform, chat, phone, post), <code>topics</code>, <code>senders</code> (address or <code>@domain.nl</code>),
<code>subjectContains</code>, <code>bodyContains</code>, <code>subjectMatches</code>/<code>bodyMatches</code> (regular expression in RE2 syntax, at most 200 characters),
<code>hasAttachment</code> (true/false), <code>officeHours</code> ("inside"/"outside").</p>
<p><strong>then</strong>: <code>topic</code>, <code>team</code>, <code>priority</code> (low/normal/high), <code>complaint</code> (true: topic <code>klacht</code>),
<code>replyTemplate</code> (key of a reply template, replaces the acknowledgement), <code>stop</code> (true).</p>
<pre>[{ "id": "bzk-spoed", "name": "BZK met voorrang", "when": { "senders": ["@minbzk.nl"] }, "then": { "priority": "high", "team": "spoed" } }]</pre>
</details>`;

/** The versioned settings admins edit, each with its form and its JSON view. */
export const SETTING_EDITORS: SettingEditor[] = [
  {
    slug: 'regels',
    key: 'routing.rules',
    form: rulesForm,
    texts: {
      nl: {
        title: 'Routeringsregels',
        formHelp: html`<p>Regels gelden van boven naar beneden. Een regel werkt als <em>alle</em> ingevulde voorwaarden kloppen;
een latere regel kan overschrijven wat een eerdere besliste, tenzij die eerdere regel <em>Stoppen</em> aan heeft.</p>`,
        jsonHelp: RULES_JSON_HELP_NL,
      },
      en: {
        title: 'Routing rules',
        formHelp: html`<p>Rules apply from top to bottom. A rule applies when <em>all</em> conditions filled in hold;
a later rule can override what an earlier one decided, unless that earlier rule has <em>Stop</em> on.</p>`,
        jsonHelp: RULES_JSON_HELP_EN,
      },
    },
  },
  {
    slug: 'onderwerpen',
    key: 'topics',
    form: topicsForm,
    texts: {
      nl: {
        title: 'Onderwerpen',
        formHelp: html`<p>Het onderwerp van een bericht herkent Loket met een model dat leert van voorbeeldvragen en van de correcties van medewerkers (<a href="/admin/herkenning/correcties">Onderwerpherkenning</a>). Het team van een onderwerp krijgt de zaken ervan. De trefwoorden gelden alleen als er geen model is: dan krijgt een bericht het onderwerp waarvan de trefwoorden het vaakst voorkomen, bij gelijke scores telt de volgorde. Wilt u een onderwerp afdwingen bij bepaalde woorden, maak dan een <a href="/admin/regels">routeringsregel</a>: regels gaan altijd voor.</p>`,
        jsonHelp: html`<p>Trefwoorden gelden alleen zonder model (zie Onderwerpherkenning); de volgorde telt bij gelijke scores. Per onderwerp: <code>key</code>, <code>nameNl</code>, <code>nameEn</code>, <code>keywords</code> (<code>nl</code> en <code>en</code>), <code>team</code>, <code>weight</code> (1–10).</p>`,
      },
      en: {
        title: 'Topics',
        formHelp: html`<p>Loket recognises the topic of a message with a model that learns from example questions and from the corrections agents make (<a href="/admin/herkenning/correcties">Topic recognition</a>). A topic's team gets its cases. The keywords only count when there is no model: a message then gets the topic whose keywords occur most often, the order deciding between equal scores. To force a topic for certain words, make a <a href="/admin/regels">routing rule</a>: rules always come first.</p>`,
        jsonHelp: html`<p>Keywords only count without a model (see Topic recognition); the order decides between equal scores. Per topic: <code>key</code>, <code>nameNl</code>, <code>nameEn</code>, <code>keywords</code> (<code>nl</code> and <code>en</code>), <code>team</code>, <code>weight</code> (1–10).</p>`,
      },
    },
  },
  {
    slug: 'chat',
    key: 'chat.topics',
    form: chatTopicsForm,
    texts: {
      nl: {
        title: 'Chatonderwerpen',
        formHelp: html`<p>De onderwerpen die de chat mag behandelen. Andere chatvragen krijgen een verwijzing naar formulier, e-mail en telefoon.</p>`,
        jsonHelp: html`<p>De sleutels van de onderwerpen die de chat mag behandelen. Andere chatvragen krijgen een verwijzing naar formulier, e-mail en telefoon.</p>`,
      },
      en: {
        title: 'Chat topics',
        formHelp: html`<p>The topics the chat may handle. Other chat questions are referred to the web form, e-mail and phone.</p>`,
        jsonHelp: html`<p>The keys of the topics the chat may handle. Other chat questions are referred to the web form, e-mail and phone.</p>`,
      },
    },
  },
  {
    slug: 'openingstijden',
    key: 'office.hours',
    form: officeHoursForm,
    texts: {
      nl: {
        title: 'Openingstijden',
        formHelp: html`<p>Op nationale feestdagen is het contactcenter altijd dicht. Buiten openingstijden staat de chat offline.</p>`,
        jsonHelp: html`<p>Maandag tot en met vrijdag, Nederlandse tijd. Op nationale feestdagen is het contactcenter altijd dicht; zet extra sluitingsdagen in <code>extraClosedDays</code> (bijv. <code>"2026-12-24"</code>). Buiten openingstijden staat de chat offline.</p>`,
      },
      en: {
        title: 'Office hours',
        formHelp: html`<p>On national holidays the contact center is always closed. Outside office hours the chat is offline.</p>`,
        jsonHelp: html`<p>Monday to Friday, Dutch time. On national holidays the contact center is always closed; put extra closing days in <code>extraClosedDays</code> (e.g. <code>"2026-12-24"</code>). Outside office hours the chat is offline.</p>`,
      },
    },
  },
  {
    slug: 'sjablonen',
    key: 'reply.templates',
    form: templatesForm,
    texts: {
      nl: {
        title: 'Antwoordsjablonen',
        formHelp: html`<p>Automatische antwoorden die een regel in plaats van de ontvangstbevestiging stuurt. Variabelen: <code>{reference}</code> (registratienummer), <code>{answerBy}</code> (uiterste antwoorddatum), <code>{name}</code>, en in een antwoord van een medewerker <code>{agent}</code> (diens naam).</p>`,
        jsonHelp: html`<p>Automatische antwoorden die een regel (<code>replyTemplate</code>) in plaats van de ontvangstbevestiging stuurt. Variabelen: <code>{reference}</code> (registratienummer), <code>{answerBy}</code> (uiterste antwoorddatum), <code>{name}</code>.</p>`,
      },
      en: {
        title: 'Reply templates',
        formHelp: html`<p>Automatic replies that a rule sends instead of the acknowledgement. Variables: <code>{reference}</code> (registration number), <code>{answerBy}</code> (latest answer date), <code>{name}</code>, and in an agent's answer <code>{agent}</code> (the agent's name).</p>`,
        jsonHelp: html`<p>Automatic replies that a rule (<code>replyTemplate</code>) sends instead of the acknowledgement. Variables: <code>{reference}</code> (registration number), <code>{answerBy}</code> (latest answer date), <code>{name}</code>.</p>`,
      },
    },
  },
  {
    slug: 'verzenden',
    key: 'delivery.retry',
    form: deliveryRetryForm,
    texts: {
      nl: {
        title: 'Verzenden',
        formHelp: html`<p>Een antwoord dat niet verstuurd kan worden door een tijdelijke storing (mailserver onbereikbaar) wordt steeds opnieuw geprobeerd, hoogstens een kwartier na de vorige poging. Na deze tijd stopt Loket en krijgt de zaak de aandacht van een medewerker. Een definitieve weigering (adres bestaat niet) stopt meteen.</p>`,
        jsonHelp: html`<p><code>keepTryingHours</code>: hoe lang (in uren, 1 tot 720) een antwoord bij een tijdelijke storing opnieuw wordt geprobeerd.</p>`,
      },
      en: {
        title: 'Sending',
        formHelp: html`<p>An answer that cannot be sent because of a temporary failure (mail server unreachable) is tried again and again, at most a quarter of an hour after the previous attempt. After this time Loket stops and the case is flagged for an agent. A permanent refusal (the address does not exist) stops at once.</p>`,
        jsonHelp: html`<p><code>keepTryingHours</code>: how long (in hours, 1 to 720) an answer is tried again after a temporary failure.</p>`,
      },
    },
  },
  {
    slug: 'chatconsole',
    key: 'chat.console',
    form: chatConsoleForm,
    texts: {
      nl: {
        title: 'Chatconsole',
        formHelp: html`<p>Hoeveel chatgesprekken één medewerker tegelijk voert. Coördinatoren zien in de chatconsole hoe lang bezoekers wachten.</p>`,
        jsonHelp: html`<p><code>maxPerAgent</code>: het aantal chatgesprekken (1 tot 10) dat één medewerker tegelijk voert.</p>`,
      },
      en: {
        title: 'Chat console',
        formHelp: html`<p>How many chat conversations one agent holds at once. Coordinators see in the chat console how long visitors are waiting.</p>`,
        jsonHelp: html`<p><code>maxPerAgent</code>: the number of chat conversations (1 to 10) one agent holds at once.</p>`,
      },
    },
  },
  {
    slug: 'herkenning',
    key: 'classify.confidence',
    form: classifyConfidenceForm,
    texts: {
      nl: {
        title: 'Onderwerpherkenning',
        formHelp: html`<p>Loket herkent het onderwerp van een bericht met een model dat leert van de eigen voorbeeldvragen en van elke onderwerpwijziging door een medewerker (zie <a href="/admin/herkenning">Onderwerpherkenning</a>). Uw regels gaan altijd voor.</p>`,
        jsonHelp: html`<p><code>threshold</code>: de minimale zekerheid (0 tot 1) waarmee het herkende onderwerp wordt gebruikt; daaronder wordt het Overig en kijkt een medewerker.</p>`,
      },
      en: {
        title: 'Topic recognition',
        formHelp: html`<p>Loket recognises the topic of a message with a model that learns from its own example questions and from every change of topic by an agent (see <a href="/admin/herkenning">Topic recognition</a>). Your rules always come first.</p>`,
        jsonHelp: html`<p><code>threshold</code>: the minimum confidence (0 to 1) at which the recognised topic is used; below it the topic becomes Overig (other) and an agent looks.</p>`,
      },
    },
  },
  {
    slug: 'termijnen',
    key: 'sla.targets',
    form: slaForm,
    texts: {
      nl: {
        title: 'Termijnen (SLA)',
        formHelp: html`<p>Wanneer een zaak een eerste reactie en een antwoord moet hebben, geteld in werktijd (openingstijden, feestdagen en extra sluitingsdagen tellen niet). De eerste afspraak die op een zaak past geldt; laat de laatste voor alle zaken gelden. Zolang een zaak wacht op een reactie van de burger staat de klok stil.</p>`,
        jsonHelp: html`<p><code>targets</code>: afspraken met optioneel <code>channel</code>, <code>topic</code>, <code>priority</code> en verplicht <code>firstResponseHours</code> (werkuren) en <code>answerDays</code> (werkdagen); de eerste die past geldt. <code>warnHours</code>: werkuren vooraf gewaarschuwd. <code>promisePercent</code>: het doel.</p>`,
      },
      en: {
        title: 'Deadlines (SLA)',
        formHelp: html`<p>When a case must have a first response and an answer, counted in working time (office hours; holidays and extra closing days do not count). The first promise that fits a case applies; let the last one apply to all cases. While a case waits for a reply from the citizen, the clock stands still.</p>`,
        jsonHelp: html`<p><code>targets</code>: promises with optional <code>channel</code>, <code>topic</code>, <code>priority</code> and required <code>firstResponseHours</code> (working hours) and <code>answerDays</code> (working days); the first that fits applies. <code>warnHours</code>: working hours of warning ahead. <code>promisePercent</code>: the target.</p>`,
      },
    },
  },
  {
    slug: 'klachttermijnen',
    key: 'complaint.deadlines',
    form: complaintDeadlinesForm,
    texts: {
      nl: {
        title: 'Termijnen klachtprocedure',
        formHelp: html`<p>De termijnen van de klachtprocedure in werkdagen. Gelden voor klachten die vanaf nu binnenkomen of een stap zetten.</p>`,
        jsonHelp: html`<p><code>firstContactDays</code>, <code>resolveDays</code>, <code>satisfactionDays</code>, <code>extraDays</code>: werkdagen (1 tot 60).</p>`,
      },
      en: {
        title: 'Complaint procedure deadlines',
        formHelp: html`<p>The deadlines of the complaint procedure in working days. They apply to complaints that come in or take a step from now on.</p>`,
        jsonHelp: html`<p><code>firstContactDays</code>, <code>resolveDays</code>, <code>satisfactionDays</code>, <code>extraDays</code>: working days (1 to 60).</p>`,
      },
    },
  },
  {
    slug: 'bewaartermijnen',
    key: 'retention.periods',
    form: retentionPeriodsForm,
    texts: {
      nl: {
        title: 'Bewaartermijnen',
        formHelp: html`<p>Hoe lang een gesloten zaak haar persoonsgegevens houdt, in maanden na het sluiten. Daarna verwijdert Loket elke nacht namen, adressen, nummers, berichten, bijlagen en notities; wat de rapportages tellen blijft. <a href="/admin/bewaartermijnen/proefdraai">Proefdraai: wat de volgende ronde zou verwijderen</a>.</p>`,
        jsonHelp: html`<p><code>questionMonths</code>, <code>complaintMonths</code>, <code>chatMonths</code>, <code>callMonths</code>, <code>letterMonths</code>: maanden (1 tot 240).</p>`,
      },
      en: {
        title: 'Retention periods',
        formHelp: html`<p>How long a closed case keeps its personal data, in months after closing. After that Loket removes names, addresses, numbers, messages, attachments and notes every night; what the reports count remains. <a href="/admin/bewaartermijnen/proefdraai">Dry run: what the next round would remove</a>.</p>`,
        jsonHelp: html`<p><code>questionMonths</code>, <code>complaintMonths</code>, <code>chatMonths</code>, <code>callMonths</code>, <code>letterMonths</code>: months (1 to 240).</p>`,
      },
    },
  },
];

/** The editor of a setting. */
export const editorOf = (key: VersionedKey) => SETTING_EDITORS.find((editor) => editor.key === key)!;
