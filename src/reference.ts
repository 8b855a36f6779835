/** Registration numbers: `ZK-2026-000123` (prefix, year, six-digit serial). */

export function formatReference(prefix: string, year: number, serial: number): string {
  return `${prefix}-${year}-${String(serial).padStart(6, '0')}`;
}

/** Every registration number with this prefix quoted in a text, in order, without repeats. */
export function findReferences(prefix: string, ...texts: string[]): string[] {
  const pattern = new RegExp(`(?<![A-Za-z0-9])${prefix}-(\\d{4})-(\\d{6,})(?![A-Za-z0-9])`, 'gi');
  const found = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(pattern)) found.add(`${prefix}-${match[1]}-${match[2]}`);
  }
  return [...found];
}
