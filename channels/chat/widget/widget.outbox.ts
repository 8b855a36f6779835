/** A unique id per visitor message; the server treats a resend with the same id as one message. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Visitor messages the server has not acknowledged yet, in the order they were typed. */
export class Outbox {
  private readonly waiting = new Map<string, string>();

  add(clientId: string, text: string): void {
    this.waiting.set(clientId, text);
  }

  text(clientId: string): string | undefined {
    return this.waiting.get(clientId);
  }

  remove(clientId: string): void {
    this.waiting.delete(clientId);
  }

  entries(): [clientId: string, text: string][] {
    return [...this.waiting];
  }

  clear(): void {
    this.waiting.clear();
  }
}
