import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ENTRY = fileURLToPath(new URL('./widget.ts', import.meta.url));
const CONSOLE_ENTRY = fileURLToPath(new URL('../console/console.client.ts', import.meta.url));
const DEFAULT_OUT = 'dist/widget/widget.js';

/** Bundles the chat widget into one minified browser script; returns its raw and gzipped size. */
export async function buildWidget(outFile: string): Promise<{ bytes: number; gzipBytes: number }> {
  return bundle(ENTRY, outFile);
}

/** Bundles the agents' chat console (/werkplek/chats.js) the same way. */
export async function buildConsole(outFile: string): Promise<{ bytes: number; gzipBytes: number }> {
  return bundle(CONSOLE_ENTRY, outFile);
}

/** The path of the console script beside a widget script. */
export const consoleFileBeside = (widgetFile: string) => widgetFile.replace(/widget\.js$/, 'console.js');

async function bundle(entry: string, outFile: string): Promise<{ bytes: number; gzipBytes: number }> {
  await build({
    entryPoints: [entry],
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
  for (const [file, built] of [
    [outFile, await buildWidget(outFile)],
    [consoleFileBeside(outFile), await buildConsole(consoleFileBeside(outFile))],
  ] as const) {
    console.log(`${file}: ${(built.bytes / 1024).toFixed(1)} kB, ${(built.gzipBytes / 1024).toFixed(1)} kB gzipped`);
  }
}
