import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { sniffType, stringFields } from '../../src/files.js';
import type { IncomingFile } from '../../src/intake.js';
import type { Locale } from '../../src/message.js';
import { jsonSubmissionSchema, webformFieldsSchema, type WebformField, type WebformFields } from './webform.schema.js';
import { TEXTS } from './webform.texts.js';
import { oneLineText, UNSAFE_TEXT } from '../../src/text.js';

export interface UploadLimits {
  maxFiles: number;
  maxFileBytes: number;
  allowedTypes: readonly string[];
  /** The largest JSON submission: its files come base64-encoded inside it. */
  jsonBodyLimit: number;
}

/** The one multipart field that takes files (the contact page's file input). */
const ATTACHMENTS_FIELD = 'attachments';

export type ParsedSubmission =
  { ok: true; fields: WebformFields; files: IncomingFile[] } | { ok: false; fields: Record<string, string>; errors: Partial<Record<WebformField, string>> };

/** An upload too large or too many: answered with 413. */
export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  readonly statusCode = 413;
}

/** Reads a JSON or multipart submission into raw fields and files, then validates both. */
export async function readSubmission(request: FastifyRequest, limits: UploadLimits, locale: Locale): Promise<ParsedSubmission> {
  const raw = request.isMultipart() ? await readMultipart(request) : readJson(request.body);
  if (!raw) return { ok: false, fields: {}, errors: { attachments: TEXTS[locale].errors.attachments } };
  return validate(raw.fields, raw.files, limits, locale);
}

async function readMultipart(request: FastifyRequest): Promise<{ fields: Record<string, unknown>; files: IncomingFile[] }> {
  const fields: Record<string, unknown> = {};
  const files: IncomingFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      // A browser sends an empty part when no file was chosen.
      if (part.filename === '' && content.byteLength === 0) continue;
      // Files belong in the attachments field only; one sent as another field is refused by name.
      if (part.fieldname !== ATTACHMENTS_FIELD) {
        fields[part.fieldname] = { file: part.filename };
        continue;
      }
      files.push({ filename: part.filename, contentType: part.mimetype, content });
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}

/** The JSON body's fields and decoded attachments; undefined when `attachments` is malformed. */
function readJson(body: unknown): { fields: Record<string, unknown>; files: IncomingFile[] } | undefined {
  const parsed = jsonSubmissionSchema.safeParse(body ?? {});
  if (!parsed.success) return undefined;
  const { attachments = [], ...fields } = parsed.data;
  const files = attachments.map((a) => ({
    filename: a.filename,
    contentType: a.contentType ?? 'application/octet-stream',
    content: Buffer.from(a.content, 'base64'),
  }));
  return { fields, files };
}

async function validate(raw: Record<string, unknown>, files: IncomingFile[], limits: UploadLimits, locale: Locale): Promise<ParsedSubmission> {
  const texts = TEXTS[locale].errors;
  const errors: Partial<Record<WebformField, string>> = {};
  const result = webformFieldsSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
      for (const key of keys) {
        const known = key in texts ? (texts[key as keyof typeof texts] as unknown) : undefined;
        const message = issue.message === UNSAFE_TEXT ? texts.unsafe : typeof known === 'string' ? known : texts.unknownField(key);
        errors[key as WebformField] ??= message;
      }
    }
  }
  if (files.length > limits.maxFiles) {
    throw new PayloadTooLargeError(texts.attachmentCount(limits.maxFiles));
  }
  const typed: IncomingFile[] = [];
  for (const file of files) {
    if (!oneLineText(255).safeParse(file.filename).success) {
      errors.attachments ??= texts.unsafeFilename;
      continue;
    }
    if (file.content.byteLength > limits.maxFileBytes) throw new PayloadTooLargeError(file.filename);
    const contentType = await sniffType(file);
    if (!contentType || !limits.allowedTypes.includes(contentType)) {
      errors.attachments ??= texts.attachmentType(file.filename);
      continue;
    }
    typed.push({ ...file, filename: path.basename(file.filename).slice(0, 255), contentType });
  }
  if (!result.success || Object.keys(errors).length > 0) {
    return { ok: false, fields: stringFields(raw), errors };
  }
  return { ok: true, fields: result.data, files: typed };
}
