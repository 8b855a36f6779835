/** Start-up configuration: a real child process with a bad environment stops with exit code 1. */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      ROLE: 'all',
      HTTP_PORT: 3000,
      DATA_DIR: './data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REF_PREFIX: 'ZK',
      PUBLIC_URL: 'http://localhost:3000',
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lists every variable in .env.example, with its meaning', async () => {
    const example = await readFile('.env.example', 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(configVariables().filter((name) => !listed.has(name))).toEqual([]);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ ROLE: 'boss', HTTP_PORT: 'eighty', REDIS_URL: 'http://x', REF_PREFIX: 'zk1', SMTP_URL: 'ftp://x' });
      expect.unreachable('loadConfig accepted a bad environment');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const named = (err as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(named).toEqual(['HTTP_PORT', 'REDIS_URL', 'REF_PREFIX', 'ROLE', 'SMTP_URL']);
    }
  });

  it('takes identity providers over https only, unless told it is a test provider', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'http://login.example.org' })).toThrow(/OIDC_ISSUER: must be https/);
    expect(() => loadConfig({ PORTAL_ISSUER: 'https://portaal.example.org', PORTAL_JWKS_URL: 'http://portaal.example.org/keys' })).toThrow(
      /PORTAL_JWKS_URL: must be https/,
    );
    expect(loadConfig({ PORTAL_ISSUER: 'http://127.0.0.1:9999', IDENTITY_ALLOW_HTTP: 'true' }).IDENTITY_ALLOW_HTTP).toBe(true);
    expect(loadConfig({ OIDC_ISSUER: 'https://login.example.org' }).IDENTITY_ALLOW_HTTP).toBe(false);
  });

  it('refuses the embedded database for a role other than all', () => {
    expect(() => loadConfig({ ROLE: 'worker' })).toThrow(/DATABASE_URL: is required when ROLE=worker/);
    expect(loadConfig({ ROLE: 'worker', DATABASE_URL: 'postgres://x@127.0.0.1/y' }).ROLE).toBe('worker');
  });

  it('stops the process with exit code 1 and a message naming the variables', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ROLE: 'web', HTTP_PORT: '-1', DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/HTTP_PORT/);
    expect(stderr).toMatch(/DATABASE_URL: is required when ROLE=web/);
  });
});
