import { expect } from 'vitest';
import type { Session } from './session.js';

/** A workspace page as a signed-in person sees it (HTML asked for, no redirect followed). */
export async function pageAs(url: string, session: Session, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${path}`, { headers: { cookie: session.cookie, accept: 'text/html' }, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
}

/** An English page of the workspace: its language, the switch back to Dutch, and the frame in English. */
export function expectEnglishPage(page: string): void {
  expect(page).toContain('<html lang="en">');
  expect(page).toMatch(/<button type="submit" lang="nl">Nederlands<\/button>/);
  expect(page).toContain('<strong>Contact center</strong>');
}
