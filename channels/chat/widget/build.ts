import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ENTRY = fileURLToPath(new URL('./widget.ts', import.meta.url));
const DEFAULT_OUT = 'dist/widget/widget.js';

/** Bundles the chat widget into one minified browser script; returns its raw and gzipped size. */
export async function buildWidget(outFile: string): Promise<{ bytes: number; gzipBytes: number }> {
  await build({
    entryPoints: [ENTRY],
    outfile: outFile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const code = await readFile(outFile);
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

const runDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const outFile = process.argv[2] ?? DEFAULT_OUT;
  const { bytes, gzipBytes } = await buildWidget(outFile);
  console.log(`${outFile}: ${(bytes / 1024).toFixed(1)} kB, ${(gzipBytes / 1024).toFixed(1)} kB gzipped`);
}
