import { sql } from 'drizzle-orm';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { runPrepared, type Db } from '../db/database.js';
import type { AttachmentRef, Sender } from '../message.js';
import { escapeHtml } from '../ui/html.js';

/**
 * A person's right of access (AVG art. 15, issue 20): everything Loket holds about one person,
 * found by e-mail address, employee number or phone number. A case is theirs when its contact
 * or one of its messages is them; of a case, only what they wrote and what was sent to them is
 * taken (a colleague who wrote on the same case stays out), with the notes on it (unless the
 * privacy officer withholds one, for a reason) and who accessed it.
 */

/** The identifiers that say a sender is the person: any one of them matching. */
interface Identity {
  emails: Set<string>;
  employeeNumbers: Set<string>;
  phones: Set<string>;
}

const digits = (phone: string) => phone.replace(/[^0-9+]/g, '');
const PHONE_DIGITS = 6;

/** Whether a sender is the person: the same address, employee number or phone number. */
function isPerson(identity: Identity, sender: Sender): boolean {
  return (
    (sender.email !== undefined && identity.emails.has(sender.email.toLowerCase())) ||
    (sender.replyTo !== undefined && identity.emails.has(sender.replyTo.toLowerCase())) ||
    (sender.employeeNumber !== undefined && identity.employeeNumbers.has(sender.employeeNumber)) ||
    (sender.phone !== undefined && digits(sender.phone).length >= PHONE_DIGITS && identity.phones.has(digits(sender.phone)))
  );
}

/** The SQL test of a sender column against one e-mail address, employee number or phone number. */
export function senderIs(column: ReturnType<typeof sql.raw>, who: string) {
  const phone = digits(who).length >= PHONE_DIGITS ? digits(who) : null;
  return sql`(lower(${column}->>'email') = lower(${who}) or lower(${column}->>'replyTo') = lower(${who}) or ${column}->>'employeeNumber' = ${who}
              or regexp_replace(${column}->>'phone', '[^0-9+]', '', 'g') = ${phone})`;
}

interface CaseRow {
  id: string | number;
  reference: string;
  channel: string;
  topic: string;
  status: string;
  subject: string;
  sender: Sender;
  opened_at: Date | string;
  closed_at: Date | string | null;
}

/**
 * The cases of a person, newest first: their contact, or a message of theirs on it. Asked for by
 * one identifier; the others on the contacts of the cases it finds (the same record holds the
 * address and the employee number) find the rest, one step, no further.
 */
export async function casesOfPerson(db: Db, who: string): Promise<CaseRow[]> {
  const matching = (identifiers: readonly string[]) =>
    runPrepared<CaseRow>(
      db,
      sql`select c.id, c.reference, c.channel, c.topic, c.status, c.subject, c.sender, c.created_at as opened_at, c.closed_at from cases c
           where ${sql.join(
             identifiers.map(
               (id) =>
                 sql`(${senderIs(sql.raw('c.sender'), id)} or exists (select 1 from messages m where m.case_id = c.id and ${senderIs(sql.raw('m.sender'), id)}))`,
             ),
             sql` or `,
           )}
           order by c.id desc limit 1000`,
    );
  const first = await matching([who]);
  const identity = identityOf(who, first);
  const more = [...identity.emails, ...identity.employeeNumbers, ...identity.phones].filter((id) => id.toLowerCase() !== who.toLowerCase());
  return more.length ? matching([who, ...more]) : first;
}

/** The person's identifiers: what was asked for, and the others on case contacts that match it. */
function identityOf(who: string, found: readonly CaseRow[]): Identity {
  const identity: Identity = { emails: new Set(), employeeNumbers: new Set(), phones: new Set() };
  const add = (sender: Sender) => {
    if (sender.email) identity.emails.add(sender.email.toLowerCase());
    if (sender.employeeNumber) identity.employeeNumbers.add(sender.employeeNumber);
    if (sender.phone && digits(sender.phone).length >= PHONE_DIGITS) identity.phones.add(digits(sender.phone));
  };
  add(/@/.test(who) ? { email: who } : digits(who).length >= PHONE_DIGITS && /^[0-9+\s()-]+$/.test(who) ? { phone: who } : { employeeNumber: who });
  const asked = { ...identity, emails: new Set(identity.emails), employeeNumbers: new Set(identity.employeeNumbers), phones: new Set(identity.phones) };
  for (const c of found) if (isPerson(asked, c.sender)) add(c.sender);
  return identity;
}

/** The notes on a person's cases, for the privacy officer to withhold one (with a reason) before the export. */
export async function notesOn(db: Db, caseIds: number[]): Promise<{ id: number; caseId: number; author: string; text: string; at: Date }[]> {
  if (caseIds.length === 0) return [];
  const rows = await runPrepared<{ id: string | number; case_id: string | number; author: string; text: string; created_at: Date | string }>(
    db,
    sql`select id, case_id, author, text, created_at from case_notes where case_id = any(${sql.param(caseIds)}::bigint[]) order by id`,
  );
  return rows.map((row) => ({ id: Number(row.id), caseId: Number(row.case_id), author: row.author, text: row.text, at: new Date(row.created_at) }));
}

export interface PersonExport {
  zip: Uint8Array;
  cases: number;
  files: number;
  references: string[];
}

/** One file name safe inside the ZIP: no directories, no control characters. */
const safeName = (name: string) =>
  [...name]
    .map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .slice(0, 150) || 'bestand';

/**
 * Builds the ZIP: `gegevens.json` (machine-readable, everything), `overzicht.html` (readable,
 * per case in time order) and the files under `bijlagen/<zaak>/`. `withheld`: note ids the
 * privacy officer keeps out, each with its reason (counted in the export, not shown).
 */
export async function exportPerson(db: Db, who: string, withheld: ReadonlyMap<number, string>, now: Date): Promise<PersonExport> {
  const found = await casesOfPerson(db, who);
  const identity = identityOf(who, found);
  const caseIds = found.map((c) => Number(c.id));
  const references = found.map((c) => c.reference);
  const ids = sql.param(caseIds);
  const [messages, files, answers, calls, letters, notes, complaints, accesses] = await Promise.all([
    runPrepared<{
      id: string | number;
      case_id: string | number;
      channel: string;
      received_at: Date | string;
      sender: Sender;
      subject: string;
      text: string;
      meta: Record<string, unknown>;
    }>(
      db,
      sql`select id, case_id, channel, received_at, sender, subject, text, meta from messages where case_id = any(${ids}::bigint[]) order by received_at, id`,
    ),
    runPrepared<{ message_id: string | number; filename: string; content_type: string; content: Uint8Array }>(
      db,
      sql`select a.message_id, a.filename, a.content_type, b.content from attachments a join blobs b on b.sha256 = a.sha256
           join messages m on m.id = a.message_id where m.case_id = any(${ids}::bigint[]) order by a.id`,
    ),
    runPrepared<{
      id: string | number;
      case_id: string | number;
      channel: string;
      kind: string;
      recipient: Sender;
      subject: string;
      body: string;
      attachments: AttachmentRef[];
      status: string;
      created_at: Date | string;
      sent_at: Date | string | null;
    }>(
      db,
      sql`select id, case_id, channel, kind, recipient, subject, body, attachments, status, created_at, sent_at from outbox where case_id = any(${ids}::bigint[]) order by id`,
    ),
    runPrepared<{
      message_id: string | number;
      caller_number: string | null;
      agent: string | null;
      started_at: Date | string;
      duration_seconds: number | null;
    }>(
      db,
      sql`select c.message_id, c.caller_number, c.agent, c.started_at, c.duration_seconds from calls c join messages m on m.id = c.message_id where m.case_id = any(${ids}::bigint[])`,
    ),
    runPrepared<{ message_id: string | number; letter_date: string | null; ocr_text: string | null; scans: AttachmentRef[] }>(
      db,
      sql`select l.message_id, l.letter_date, l.ocr_text, l.scans from letters l join messages m on m.id = l.message_id where m.case_id = any(${ids}::bigint[])`,
    ),
    notesOn(db, caseIds),
    runPrepared<Record<string, unknown> & { case_id: string | number }>(
      db,
      sql`select case_id, stage, earlier_reference, last_contact_on, employee_name, resolution, satisfied, satisfaction_comment, created_at from complaints where case_id = any(${ids}::bigint[])`,
    ),
    runPrepared<{ at: Date | string; account_name: string; role: string; action: string; reference: string }>(
      db,
      sql`select at, account_name, role, action, reference from access_log where reference = any(${sql.param(references)}::text[]) order by id`,
    ),
  ]);

  // Of a case, what the person wrote (a colleague's message on it stays out) and what went to them.
  const theirs = messages.filter((m) => isPerson(identity, m.sender));
  const theirIds = new Set(theirs.map((m) => Number(m.id)));
  const toThem = answers.filter((a) => isPerson(identity, a.recipient));
  const blobs = await blobsFor(
    db,
    toThem.flatMap((a) => a.attachments).concat(letters.filter((l) => theirIds.has(Number(l.message_id))).flatMap((l) => l.scans)),
  );

  const zip: Zippable = {};
  let fileCount = 0;
  const put = (reference: string, name: string, content: Uint8Array) => {
    let path = `bijlagen/${reference}/${safeName(name)}`;
    for (let n = 2; zip[path]; n += 1) path = `bijlagen/${reference}/${n}-${safeName(name)}`;
    zip[path] = content;
    fileCount += 1;
    return path;
  };

  const data = {
    exportedAt: now.toISOString(),
    askedFor: who,
    cases: found.map((c) => {
      const id = Number(c.id);
      const reference = c.reference;
      return {
        reference,
        channel: c.channel,
        topic: c.topic,
        status: c.status,
        subject: c.subject,
        contact: isPerson(identity, c.sender) ? c.sender : null,
        openedAt: new Date(c.opened_at).toISOString(),
        closedAt: c.closed_at ? new Date(c.closed_at).toISOString() : null,
        messages: theirs
          .filter((m) => Number(m.case_id) === id)
          .map((m) => ({
            channel: m.channel,
            receivedAt: new Date(m.received_at).toISOString(),
            from: m.sender,
            subject: m.subject,
            text: m.text,
            files: files.filter((f) => Number(f.message_id) === Number(m.id)).map((f) => put(reference, f.filename, f.content)),
            call: calls.find((call) => Number(call.message_id) === Number(m.id)) ?? null,
            letter: (() => {
              const letter = letters.find((l) => Number(l.message_id) === Number(m.id));
              return letter
                ? {
                    date: letter.letter_date,
                    ocrText: letter.ocr_text,
                    scans: letter.scans.map((s) => put(reference, s.filename, blobs.get(s.sha256) ?? new Uint8Array())),
                  }
                : null;
            })(),
          })),
        answers: toThem
          .filter((a) => Number(a.case_id) === id)
          .map((a) => ({
            channel: a.channel,
            kind: a.kind,
            to: a.recipient,
            subject: a.subject,
            text: a.body,
            status: a.status,
            writtenAt: new Date(a.created_at).toISOString(),
            sentAt: a.sent_at ? new Date(a.sent_at).toISOString() : null,
            files: a.attachments.map((f) => put(reference, f.filename, blobs.get(f.sha256) ?? new Uint8Array())),
          })),
        notes: notes.filter((n) => n.caseId === id && !withheld.has(n.id)).map((n) => ({ author: n.author, at: n.at.toISOString(), text: n.text })),
        notesWithheld: notes.filter((n) => n.caseId === id && withheld.has(n.id)).length,
        complaint: complaints.find((k) => Number(k.case_id) === id) ?? null,
        accessedBy: accesses
          .filter((a) => a.reference === reference)
          .map((a) => ({ at: new Date(a.at).toISOString(), account: a.account_name, role: a.role, action: a.action })),
      };
    }),
  };
  zip['gegevens.json'] = strToU8(JSON.stringify(data, null, 2));
  zip['overzicht.html'] = strToU8(readable(data));
  return { zip: zipSync(zip, { level: 6 }), cases: found.length, files: fileCount, references };
}

async function blobsFor(db: Db, refs: readonly AttachmentRef[]): Promise<Map<string, Uint8Array>> {
  const hashes = [...new Set(refs.map((r) => r.sha256))];
  if (hashes.length === 0) return new Map();
  const rows = await runPrepared<{ sha256: string; content: Uint8Array }>(
    db,
    sql`select sha256, content from blobs where sha256 = any(${sql.param(hashes)}::text[])`,
  );
  return new Map(rows.map((row) => [row.sha256, row.content]));
}

type ExportData = { exportedAt: string; askedFor: string; cases: { reference: string; [key: string]: unknown }[] };

/** The readable document: one HTML page (no script, no outside resources), Dutch. */
function readable(data: ExportData): string {
  const e = (value: unknown) => escapeHtml(value === null || value === undefined ? '' : String(value));
  const sections = data.cases.map((c) => {
    const item = c as unknown as {
      reference: string;
      subject: string;
      channel: string;
      status: string;
      openedAt: string;
      messages: { receivedAt: string; channel: string; subject: string; text: string; files: string[] }[];
      answers: { writtenAt: string; channel: string; subject: string; text: string; files: string[] }[];
      notes: { at: string; author: string; text: string }[];
      notesWithheld: number;
      accessedBy: { at: string; account: string; action: string }[];
    };
    const entries = [
      ...item.messages.map((m) => ({
        at: m.receivedAt,
        html: `<h3>Uw bericht (${e(m.channel)}), ${e(m.receivedAt)}</h3><p><strong>${e(m.subject)}</strong></p><pre>${e(m.text)}</pre>${files(m.files)}`,
      })),
      ...item.answers.map((a) => ({
        at: a.writtenAt,
        html: `<h3>Van ons (${e(a.channel)}), ${e(a.writtenAt)}</h3><p><strong>${e(a.subject)}</strong></p><pre>${e(a.text)}</pre>${files(a.files)}`,
      })),
      ...item.notes.map((n) => ({ at: n.at, html: `<h3>Interne notitie van ${e(n.author)}, ${e(n.at)}</h3><pre>${e(n.text)}</pre>` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return `<section><h2>Zaak ${e(item.reference)}: ${e(item.subject)}</h2>
<p>Kanaal ${e(item.channel)}, ${e(item.status)}, geopend ${e(item.openedAt)}.${item.notesWithheld ? ` ${item.notesWithheld} interne notitie(s) niet opgenomen.` : ''}</p>
${entries.map((entry) => entry.html).join('\n')}
<h3>Wie uw gegevens in deze zaak bekeek of wijzigde</h3>
<ul>${item.accessedBy.map((a) => `<li>${e(a.at)}: ${e(a.account)} (${e(a.action)})</li>`).join('')}</ul></section>`;
  });
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Uw gegevens bij het contactcenter</title></head>
<body><h1>Uw gegevens bij het contactcenter</h1>
<p>Opgesteld op ${e(data.exportedAt)} voor ${e(data.askedFor)}: ${data.cases.length} zaak/zaken. Alle gegevens staan ook in gegevens.json; bestanden in de map bijlagen.</p>
${sections.join('\n')}
</body></html>
`;
  function files(paths: string[]) {
    return paths.length ? `<p>Bestanden: ${paths.map((p) => e(p)).join(', ')}</p>` : '';
  }
}
