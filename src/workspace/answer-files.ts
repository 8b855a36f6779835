import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { blobs, outbox } from '../db/schema.js';
import { sha256Hex, storeBlob, type IncomingFile } from '../intake.js';
import type { AttachmentRef } from '../message.js';
import { oneLineText } from '../text.js';
import { readFilesForm, sniffType, type FilesFormBody } from '../files.js';
import type { UiLocale } from './language.js';

/** What an agent may attach to an answer: as many and as large files, of the types the contact form takes. */
export interface AnswerUploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  allowedTypes: readonly string[];
}

/** The answer form as posted (multipart with files, or a plain form): its text fields and files. */
export type AnswerFormBody = FilesFormBody;

/** The largest file in MB as the page says it (one decimal). */
export const maxFileMb = (limits: AnswerUploadLimits) => Math.round((limits.maxFileBytes / 1024 / 1024) * 10) / 10;

/** The multipart field of the answer's files. */
export const ANSWER_FILES_FIELD = 'bijlagen';

/** Reads the answer form (src/files.ts readFilesForm): the text before the files, so an upload over a limit still leaves the text to show again. */
export const readAnswerForm = (request: FastifyRequest, limits: AnswerUploadLimits): Promise<AnswerFormBody> =>
  readFilesForm(request, limits, ANSWER_FILES_FIELD);

/** What is wrong with a file of an answer, in Dutch and English (`code` and the file name say it in the agent's language). */
const FILE_REFUSALS = {
  nl: {
    BAD_FILENAME: () => 'Een bijlage heeft een ongeldige bestandsnaam.',
    FILE_TYPE: (filename: string) => `${filename} kan niet mee: alleen PDF, afbeeldingen en kantoordocumenten.`,
  },
  en: {
    BAD_FILENAME: () => 'An attachment has an invalid file name.',
    FILE_TYPE: (filename: string) => `${filename} cannot be attached: only PDFs, images and office documents.`,
  },
} as const;
export type AnswerFileRefusal = { ok: false; error: string; code: keyof (typeof FILE_REFUSALS)['nl']; filename: string };

/** A file's refusal in the agent's language. */
export const answerFileRefusal = (refusal: AnswerFileRefusal, lang: UiLocale): string => FILE_REFUSALS[lang][refusal.code](refusal.filename);

/**
 * Each file by the type its bytes say (not what the browser claims), against the allowed
 * types; returns the files ready to store, or what is wrong with the first bad one (`error` in Dutch).
 */
export async function checkAnswerFiles(
  files: IncomingFile[],
  limits: AnswerUploadLimits,
): Promise<{ ok: true; files: { file: IncomingFile; ref: AttachmentRef }[] } | AnswerFileRefusal> {
  const checked: { file: IncomingFile; ref: AttachmentRef }[] = [];
  const refused = (code: AnswerFileRefusal['code'], filename: string): AnswerFileRefusal => ({
    ok: false,
    error: FILE_REFUSALS.nl[code](filename),
    code,
    filename,
  });
  for (const file of files) {
    if (!oneLineText(255).safeParse(file.filename).success) return refused('BAD_FILENAME', file.filename);
    const contentType = await sniffType(file);
    if (!contentType || !limits.allowedTypes.includes(contentType)) return refused('FILE_TYPE', file.filename);
    const filename = path.basename(file.filename).slice(0, 255);
    checked.push({ file: { ...file, filename, contentType }, ref: { sha256: sha256Hex(file.content), filename, contentType, size: file.content.byteLength } });
  }
  return { ok: true, files: checked };
}

/** Stores the files' bytes (once per content) before the answer that names them is written. */
export async function storeAnswerFiles(db: Db, files: { file: IncomingFile; ref: AttachmentRef }[]): Promise<void> {
  for (const { file, ref } of files) await storeBlob(db, file.content, ref.sha256);
}

/** The files of the case's outbox rows that have any, by outbox id (the case page lists them with the answer). */
export async function answerAttachments(db: Db, caseId: number): Promise<Map<number, AttachmentRef[]>> {
  const rows = await db
    .select({ id: outbox.id, attachments: outbox.attachments })
    .from(outbox)
    .where(and(eq(outbox.caseId, caseId), sql`jsonb_array_length(${outbox.attachments}) > 0`));
  return new Map(rows.map((row) => [row.id, row.attachments]));
}

/** One file of an answer, with its bytes, if that outbox row has it. */
export async function answerAttachment(db: Db, outboxId: number, sha256: string): Promise<(AttachmentRef & { content: Uint8Array }) | undefined> {
  const [row] = await db
    .select({ attachments: outbox.attachments, content: blobs.content })
    .from(outbox)
    .innerJoin(blobs, eq(blobs.sha256, sha256))
    .where(and(eq(outbox.id, outboxId), sql`${outbox.attachments} @> ${JSON.stringify([{ sha256 }])}::jsonb`));
  const ref = row?.attachments.find((a) => a.sha256 === sha256);
  return row && ref && { ...ref, content: row.content };
}

/** A stored file as a download, never shown inline (its type is what the sender said or its bytes showed). */
export function sendFile(reply: FastifyReply, file: { filename: string; contentType: string; content: Uint8Array }) {
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(file.content));
}
