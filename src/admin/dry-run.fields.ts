import { html, type SafeHtml } from '../ui/html.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { CHANNEL_NAMES } from '../message.js';
import type { UiLocale } from '../workspace/language.js';

const TEXTS = {
  nl: {
    legend: 'Proefdraaien (schrijft niets weg)',
    mode: 'Waarop',
    typed: 'Het bericht hieronder',
    recent: 'De laatste 500 berichten',
    channel: 'Kanaal',
    from: 'Afzender (e-mailadres)',
    subject: 'Onderwerp',
    text: 'Tekst',
    attachment: 'Met bijlage',
    button: 'Proefdraaien',
  },
  en: {
    legend: 'Dry run (saves nothing)',
    mode: 'Try on',
    typed: 'The message below',
    recent: 'The last 500 messages',
    channel: 'Channel',
    from: 'Sender (e-mail address)',
    subject: 'Subject',
    text: 'Text',
    attachment: 'With attachment',
    button: 'Dry run',
  },
} as const;

/** The dry-run part of the rules page: what to try the rules on; its button posts to the dry run. */
export function dryRunFields(typed: TypedMessage | undefined, recent: boolean, lang: UiLocale, buttonName = 'action'): SafeHtml {
  const t = TEXTS[lang];
  const m = typed ?? { channel: 'email', from: '', subject: '', text: '', hasAttachment: false };
  return html`<fieldset><legend>${t.legend}</legend>
<label for="mode">${t.mode}</label>
<select id="mode" name="mode"><option value="bericht">${t.typed}</option><option value="recent"${recent ? html` selected` : ''}>${t.recent}</option></select>
<label for="channel">${t.channel}</label>
<select id="channel" name="channel">${CHANNEL_NAMES.map((c) => html`<option value="${c}"${c === m.channel ? html` selected` : ''}>${c}</option>`)}</select>
<label for="from">${t.from}</label><input id="from" name="from" value="${m.from}">
<label for="subject">${t.subject}</label><input id="subject" name="subject" value="${m.subject}">
<label for="text">${t.text}</label><textarea id="text" name="text">${m.text}</textarea>
<label><input type="checkbox" name="attachment" value="ja" class="inline-check"${m.hasAttachment ? html` checked` : ''}> ${t.attachment}</label>
<button type="submit" class="secondary" formaction="/admin/regels/proefdraaien" name="${buttonName}" value="proefdraaien">${t.button}</button>
</fieldset>`;
}
