import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from './build.js';

describe('chat widget bundle', () => {
  let dir: string;
  let outFile: string;
  let sizes: { bytes: number; gzipBytes: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loket-widget-'));
    outFile = join(dir, 'widget.js');
    sizes = await buildWidget(outFile);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stays within 40 kB gzipped, socket.io-client included', () => {
    expect(sizes.bytes).toBeGreaterThan(0);
    expect(sizes.gzipBytes).toBeLessThanOrEqual(40 * 1024);
  });

  it('carries no Node leftovers that would break in a browser', async () => {
    const code = await readFile(outFile, 'utf8');
    expect(code).not.toContain('require(');
    expect(code).not.toContain('process.env');
  });
});
