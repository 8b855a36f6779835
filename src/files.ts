import path from 'node:path';
import { inArray } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from './db/database.js';
import { blobs } from './db/schema.js';
import { PermanentError } from './errors.js';
import type { IncomingFile } from './intake.js';
import type { AttachmentRef } from './message.js';

/** A form posted with files (multipart) or without (url-encoded): its text fields and files. */
export interface FilesFormBody {
  /** Read by the CSRF check in src/http/access.ts, which runs after this is parsed. */
  _csrf?: string;
  fields: Record<string, string>;
  files: IncomingFile[];
  /** The upload went over a limit: the fields read before it are kept, the files are not. */
  tooLarge?: boolean;
}

const TOO_LARGE_CODES = ['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT'];

/** The upload was over a limit (too many files, parts, or bytes). */
export const isTooLarge = (err: unknown) => TOO_LARGE_CODES.includes((err as { code?: string }).code ?? '');

/**
 * Reads a form with files into a body, before the access hook checks its CSRF token (which it
 * looks for in a parsed body). Only files of `filesField` are kept, when it is given. An
 * upload over a limit ends the reading: what was read before it (the text, which the form
 * puts first) comes back with `tooLarge`.
 */
export async function readFilesForm(request: FastifyRequest, limits: { maxFiles: number; maxFileBytes: number }, filesField?: string): Promise<FilesFormBody> {
  if (!request.isMultipart()) {
    const fields = stringFields((request.body ?? {}) as Record<string, unknown>);
    return { _csrf: fields['_csrf'], fields, files: [] };
  }
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  try {
    for await (const part of request.parts({ limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes } })) {
      if (part.type === 'file') {
        const content = await part.toBuffer();
        // A browser sends an empty part when no file was chosen.
        if (part.filename === '' && content.byteLength === 0) continue;
        if (filesField === undefined || part.fieldname === filesField) files.push({ filename: part.filename, contentType: part.mimetype, content });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (!isTooLarge(err)) throw err;
    return { _csrf: fields['_csrf'], fields, files: [], tooLarge: true };
  }
  return { _csrf: fields['_csrf'], fields, files };
}

/** The string values of a parsed body (what a form can show again). */
export function stringFields(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const LEGACY_OFFICE: Record<string, string> = {
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.ppt': 'application/vnd.ms-powerpoint',
};

/** The type a file's bytes say, not the one the browser claims; old Office files (one container format) by extension. */
export async function sniffType(file: IncomingFile): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(file.content);
  if (detected?.ext === 'cfb') return LEGACY_OFFICE[path.extname(file.filename).toLowerCase()];
  return detected?.mime;
}

/** The bytes of stored blobs, in the order of the refs asked for. A missing one does not come back: permanent. */
export async function blobContents(db: Db, refs: readonly AttachmentRef[]): Promise<Uint8Array[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .select({ sha256: blobs.sha256, content: blobs.content })
    .from(blobs)
    .where(inArray(blobs.sha256, [...new Set(refs.map((ref) => ref.sha256))]));
  const bySha = new Map(rows.map((row) => [row.sha256, row.content]));
  return refs.map((ref) => {
    const content = bySha.get(ref.sha256);
    if (!content) throw new PermanentError(`blob ${ref.sha256} is missing`, 'NO_BLOB');
    return content;
  });
}
