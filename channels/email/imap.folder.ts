/** The server's personal namespace: what its folder names start with, and what separates their levels. */
export interface ImapNamespace {
  prefix: string;
  /** The hierarchy delimiter; empty on a server with a flat list of folders. */
  delimiter: string;
}

/** A folder path that the server's naming cannot express (levels on a flat server, an empty level). */
export class FolderPathError extends Error {
  override name = 'FolderPathError';
}

/**
 * A folder path as a person writes it ("Loket/Verwerkt", levels split by "/") → the name
 * this server knows it by: its own delimiter between the levels and its personal namespace
 * prefix in front ("INBOX.Loket.Verwerkt" on Courier, Cyrus and Dovecot's maildir++ with a
 * prefix; "Loket.Verwerkt" on a stock Dovecot with maildir). A path that already starts with
 * the prefix, or with the prefix's own first level ("INBOX/Verwerkt"), is not prefixed twice.
 */
export function serverFolderPath(path: string, namespace: ImapNamespace): string {
  const levels = path.split('/').map((level) => level.trim());
  if (levels.some((level) => level === '')) throw new FolderPathError(`folder "${path}" has an empty level`);
  if (levels.length > 1 && !namespace.delimiter) {
    throw new FolderPathError(`folder "${path}" has levels, but the server keeps its folders in one flat list`);
  }
  const joined = levels.join(namespace.delimiter);
  const prefix = namespace.prefix;
  if (!prefix) return joined;
  if (joined.startsWith(prefix)) return joined;
  // The prefix without its trailing delimiter names a folder of its own (INBOX): someone who
  // wrote "INBOX/Verwerkt" meant the folder under it.
  const prefixRoot = namespace.delimiter && prefix.endsWith(namespace.delimiter) ? prefix.slice(0, -namespace.delimiter.length) : prefix;
  if (levels[0]!.toUpperCase() === prefixRoot.toUpperCase() && levels.length > 1) {
    return prefix + levels.slice(1).join(namespace.delimiter);
  }
  return prefix + joined;
}
