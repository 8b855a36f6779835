const KEY = 'loket-chat';

export interface StoredSession {
  token: string;
  conversationId: string;
  /** The panel was open: reopen it after a reload. */
  open?: boolean;
}

// sessionStorage throws when the host page (or a sandboxed frame) blocks storage. The chat
// still works then; only resuming after a reload is lost, so these fall back to "nothing".

/** The conversation to resume in this tab, if any. */
export function loadSession(): StoredSession | undefined {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    return isSession(parsed) ? parsed : undefined;
  } catch {
    return undefined; // blocked storage or a foreign value under our key: start afresh
  }
}

export function saveSession(session: StoredSession): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // blocked storage: the conversation simply cannot be resumed after a reload
  }
}

export function clearSession(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // blocked storage: nothing was saved either
  }
}

function isSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null | undefined;
  return typeof v?.token === 'string' && typeof v.conversationId === 'string';
}
