import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { FilesFormBody } from '../../src/files.js';
import { sha256Hex, type IncomingFile } from '../../src/intake.js';
import type { AttachmentRef } from '../../src/message.js';
import { letterFieldsSchema, type LetterField, type LetterFields } from './letter.schema.js';
import { SCAN_TYPES } from './ocr.js';
import { TEXTS } from './post.texts.js';

export interface ScanLimits {
  maxFiles: number;
  maxFileBytes: number;
}

/** The raw entry form (src/files.ts readFilesForm): text fields and the uploaded files, before any checking. */
export type LetterFormBody = FilesFormBody;

export type CheckedLetter =
  | { ok: true; fields: LetterFields; scans: { file: IncomingFile; ref: AttachmentRef }[] }
  | { ok: false; values: Record<string, string>; errors: Partial<Record<LetterField, string>> };

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
