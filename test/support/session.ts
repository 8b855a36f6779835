/** The password the tests give every account they make. */
export const PASSWORD = 'een-lang-wachtwoord-42';

export interface Session {
  /** `loket_session=…`, for a Cookie header. */
  cookie: string;
  csrfToken: string;
}

/** Logs in over HTTP (the JSON form of POST /login) and returns the session cookie and its CSRF token. */
export async function loginAs(url: string, email: string, password = PASSWORD): Promise<Session> {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${email} answered ${response.status}: ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken };
}

/** A form post as the signed-in browser sends it (CSRF token included, redirects not followed); a list field repeats. */
export function postAs(url: string, session: Session, path: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams({ _csrf: session.csrfToken });
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
  return fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

/** A call logged by an agent through the API (POST /api/v1/calls, JSON with the CSRF header), as the call log page sends it. */
export function logCallAs(url: string, session: Session, call: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(call),
  });
}
