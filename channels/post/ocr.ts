import { execFile, type ExecFileException } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermanentError, TransientError } from '../../src/errors.js';

/** One scan as stored: a PDF or an image (PNG, JPEG, TIFF — a TIFF may hold several pages). */
export interface Scan {
  contentType: string;
  content: Uint8Array;
}

export interface OcrOptions {
  /** Longest one tool run (one PDF conversion, one page read) may take. */
  timeoutMs: number;
  language?: string;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
};

/** The scan types OCR can read; the letter form accepts exactly these. */
export const SCAN_TYPES = Object.keys(EXTENSIONS);

/**
 * Reads the text of a letter's scans in their order, pages separated by a blank line.
 * Works in a temporary folder of its own that is removed whatever happens.
 */
export async function readScans(scans: readonly Scan[], options: OcrOptions): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loket-ocr-'));
  try {
    const pages: string[] = [];
    for (const [i, scan] of scans.entries()) {
      for (const image of await pageImages(dir, i, scan, options)) {
        pages.push(await recognise(image, options));
      }
    }
    return pages.filter((page) => page.length > 0).join('\n\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The images of one scan: a PDF rendered page by page at 300 dpi, an image as it is. */
async function pageImages(dir: string, index: number, scan: Scan, options: OcrOptions): Promise<string[]> {
  const extension = EXTENSIONS[scan.contentType];
  if (!extension) throw new PermanentError(`cannot read scans of type ${scan.contentType}`, 'OCR_UNSUPPORTED');
  const file = path.join(dir, `scan-${index}.${extension}`);
  await writeFile(file, scan.content);
  if (extension !== 'pdf') return [file];
  const prefix = `scan-${index}-page`;
  await run('pdftoppm', ['-r', '300', '-png', file, path.join(dir, prefix)], options.timeoutMs);
  // pdftoppm pads page numbers to the page count's width (page-1 or page-01): sort by number.
  const pageNumber = (name: string) => Number(/-(\d+)\.png$/.exec(name)?.[1] ?? 0);
  return (await readdir(dir))
    .filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.png'))
    .sort((a, b) => pageNumber(a) - pageNumber(b))
    .map((name) => path.join(dir, name));
}

/** Tesseract with automatic page segmentation and orientation detection (psm 1). */
async function recognise(image: string, options: OcrOptions): Promise<string> {
  const text = await run('tesseract', [image, 'stdout', '-l', options.language ?? 'nld', '--psm', '1'], options.timeoutMs);
  // Tesseract ends every page with a form feed; trailing spaces are noise.
  return text
    .replace(/\f/g, '')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Runs a tool without a shell, under a timeout, and maps its failure to a retry decision. */
function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        // Parallelism comes from OCR_CONCURRENCY; OpenMP threads per run would only contend.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      },
      (err, stdout, stderr) => (err ? reject(toolError(command, err, stderr)) : resolve(stdout)),
    );
  });
}

function toolError(command: string, err: ExecFileException, stderr: string): Error {
  if (err.code === 'ENOENT') return new TransientError(`${command} is not installed`, 'OCR_UNAVAILABLE', { cause: err });
  if (err.killed || err.signal) return new TransientError(`${command} did not finish in time`, 'OCR_TIMEOUT', { cause: err });
  // The tool ran and refused the file: the same bytes will fail the same way next time.
  if (typeof err.code === 'number') {
    return new PermanentError(`${command} could not read the scan: ${stderr.trim().slice(0, 500)}`, 'OCR_UNREADABLE', { cause: err });
  }
  return new TransientError(`${command} failed: ${err.message}`, 'OCR_FAILED', { cause: err });
}
