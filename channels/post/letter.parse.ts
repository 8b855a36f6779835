import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { sha256Hex, type IncomingFile } from '../../src/intake.js';
import type { AttachmentRef } from '../../src/message.js';
import { letterFieldsSchema, type LetterField, type LetterFields } from './letter.schema.js';
import { SCAN_TYPES } from './ocr.js';
import { TEXTS } from './post.texts.js';

export interface ScanLimits {
  maxFiles: number;
  maxFileBytes: number;
}

/** The raw entry form: text fields and the uploaded files, before any checking. */
export interface LetterFormBody {
  /** Read by the CSRF check in src/http/access.ts, which runs before the handler. */
  _csrf?: string;
  fields: Record<string, string>;
  files: IncomingFile[];
}

export type CheckedLetter =
  | { ok: true; fields: LetterFields; scans: { file: IncomingFile; ref: AttachmentRef }[] }
  | { ok: false; values: Record<string, string>; errors: Partial<Record<LetterField, string>> };

/** The upload was over a limit: answered with 413. */
export const isTooLarge = (err: unknown) => ['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT'].includes((err as { code?: string }).code ?? '');

/**
 * Reads the multipart form into a body before the access hook's CSRF check, which
 * only sees `_csrf` in a parsed body. A form posted url-encoded has no scans.
 */
export async function readLetterForm(request: FastifyRequest, limits: ScanLimits): Promise<LetterFormBody> {
  if (!request.isMultipart()) {
    const fields = stringFields((request.body ?? {}) as Record<string, unknown>);
    return { _csrf: fields['_csrf'], fields, files: [] };
  }
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  const parts = request.parts({ limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes } });
  for await (const part of parts) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      // A browser sends an empty part when no file was chosen.
      if (part.filename === '' && content.byteLength === 0) continue;
      files.push({ filename: part.filename, contentType: part.mimetype, content });
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return { _csrf: fields['_csrf'], fields, files };
}

/** Checks the fields against the schema and each scan by its bytes; every problem tied to its field. */
export async function checkLetter(body: LetterFormBody): Promise<CheckedLetter> {
  const errors: Partial<Record<LetterField, string>> = {};
  const result = letterFieldsSchema.safeParse(body.fields);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
      for (const key of keys) errors[key as LetterField] ??= fieldError(key);
    }
  }
  const scans: { file: IncomingFile; ref: AttachmentRef }[] = [];
  for (const file of body.files) {
    const contentType = (await fileTypeFromBuffer(file.content))?.mime;
    if (!contentType || !SCAN_TYPES.includes(contentType)) {
      errors.scans ??= TEXTS.errors.scanType(file.filename);
      continue;
    }
    const filename = path.basename(file.filename).slice(0, 255) || `scan-${scans.length + 1}`;
    const typed = { ...file, filename, contentType };
    scans.push({ file: typed, ref: { sha256: sha256Hex(file.content), filename, contentType, size: file.content.byteLength } });
  }
  if (body.files.length === 0) errors.scans ??= TEXTS.errors.scans;
  if (!result.success || Object.keys(errors).length > 0) {
    const { _csrf: _token, ...values } = body.fields;
    return { ok: false, values, errors };
  }
  return { ok: true, fields: result.data, scans };
}

function fieldError(key: string): string {
  const known = (TEXTS.errors as Record<string, unknown>)[key];
  return typeof known === 'string' ? known : TEXTS.errors.unknownField(key);
}

function stringFields(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
