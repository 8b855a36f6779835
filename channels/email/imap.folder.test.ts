import { describe, expect, it } from 'vitest';
import { FolderPathError, serverFolderPath } from './imap.folder.js';

describe('serverFolderPath', () => {
  it('keeps a "/" path on a server whose delimiter is "/" and has no prefix (Dovecot LAYOUT=fs, Gmail)', () => {
    expect(serverFolderPath('Loket/Verwerkt', { prefix: '', delimiter: '/' })).toBe('Loket/Verwerkt');
  });

  it('writes the levels with "." on a stock Dovecot with maildir', () => {
    expect(serverFolderPath('Loket/Verwerkt', { prefix: '', delimiter: '.' })).toBe('Loket.Verwerkt');
  });

  it('puts the personal namespace prefix in front on Courier and Cyrus', () => {
    expect(serverFolderPath('Loket/Verwerkt', { prefix: 'INBOX.', delimiter: '.' })).toBe('INBOX.Loket.Verwerkt');
  });

  it('does not prefix twice a path that names the prefix itself, in either spelling', () => {
    expect(serverFolderPath('INBOX/Verwerkt', { prefix: 'INBOX.', delimiter: '.' })).toBe('INBOX.Verwerkt');
    expect(serverFolderPath('inbox/Verwerkt', { prefix: 'INBOX.', delimiter: '.' })).toBe('INBOX.Verwerkt');
    expect(serverFolderPath('INBOX.Verwerkt', { prefix: 'INBOX.', delimiter: '.' })).toBe('INBOX.Verwerkt');
  });

  it('takes a single-level folder on a flat server, and refuses levels there', () => {
    expect(serverFolderPath('Verwerkt', { prefix: '', delimiter: '' })).toBe('Verwerkt');
    expect(() => serverFolderPath('Loket/Verwerkt', { prefix: '', delimiter: '' })).toThrow(FolderPathError);
  });

  it('refuses an empty level', () => {
    expect(() => serverFolderPath('Loket//Verwerkt', { prefix: '', delimiter: '.' })).toThrow(/empty level/);
  });
});
