import { html, type SafeHtml } from '../ui/html.js';
import type { TypedMessage } from '../policy/dry-run.js';
import { CHANNEL_NAMES } from '../message.js';

/** The dry-run part of the rules page: what to try the rules on; its button posts to the dry run. */
export function dryRunFields(typed: TypedMessage | undefined, recent: boolean, buttonName = 'action'): SafeHtml {
  const t = typed ?? { channel: 'email', from: '', subject: '', text: '', hasAttachment: false };
  return html`<fieldset><legend>Proefdraaien (schrijft niets weg)</legend>
<label for="mode">Waarop</label>
<select id="mode" name="mode"><option value="bericht">Het bericht hieronder</option><option value="recent"${recent ? html` selected` : ''}>De laatste 500 berichten</option></select>
<label for="channel">Kanaal</label>
<select id="channel" name="channel">${CHANNEL_NAMES.map((c) => html`<option value="${c}"${c === t.channel ? html` selected` : ''}>${c}</option>`)}</select>
<label for="from">Afzender (e-mailadres)</label><input id="from" name="from" value="${t.from}">
<label for="subject">Onderwerp</label><input id="subject" name="subject" value="${t.subject}">
<label for="text">Tekst</label><textarea id="text" name="text">${t.text}</textarea>
<label><input type="checkbox" name="attachment" value="ja" class="inline-check"${t.hasAttachment ? html` checked` : ''}> Met bijlage</label>
<button type="submit" class="secondary" formaction="/admin/regels/proefdraaien" name="${buttonName}" value="proefdraaien">Proefdraaien</button>
</fieldset>`;
}
