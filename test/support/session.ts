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
