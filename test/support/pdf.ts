import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** Page 1 of a PDF as a PNG at this resolution, by the real pdftoppm, as a scanner would deliver it. */
export async function pdfPagePng(pdf: Buffer, dpi: number, workDir: string, name: string): Promise<Buffer> {
  const file = path.join(workDir, `${name}.pdf`);
  await writeFile(file, pdf);
  await promisify(execFile)('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', file, path.join(workDir, name)]);
  return readFile(path.join(workDir, `${name}.png`));
}
