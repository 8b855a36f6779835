/**
 * No personal data in Loket's log output (issue 20, item 7): a whole flow with known names,
 * addresses, numbers and message texts — a contact form (and one refused), a chat, a logged
 * call, a failed and a good login, a search, a case viewed, noted and answered, the answer
 * mailed — at the most verbose level, and none of those words in any log line.
 * Real: HTTP, socket.io, PostgreSQL, Redis, the workers, SMTP (smtp-server).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../src/auth/accounts.js';
import { AGENT_TOKEN, OPEN_CLOCK, visitor } from './support/chat-client.js';
import { capturingLogger, startTestLoket, type TestLoket } from './support/loket.js';
import { loginAs, PASSWORD, postAs } from './support/session.js';
import { startSmtpSink } from './support/smtp-sink.js';
import { waitFor } from './support/wait.js';

/** What the flow writes about people; none of it may reach a log line. */
const PERSONAL = {
  name: 'Wilhelmina Zonderland',
  surname: 'Zonderland',
  email: 'wilhelmina.zonderland@example.org',
  employeeNumber: 'EMP778899',
  phone: '0612398765',
  street: 'Kerkstraat 128',
  message: 'huurtoeslag',
  subject: 'Beslaglegging',
  chatName: 'Gerrit Ooievaar',
  chatText: 'wachtwoordherstel',
  callerName: 'Trijntje Knol',
  note: 'echtscheiding',
  answer: 'voogdijregeling',
  agentEmail: 'ans.agent@example.org',
};

let loket: TestLoket;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
const { log, lines } = capturingLogger('trace');

beforeAll(async () => {
  smtp = await startSmtpSink();
  loket = await startTestLoket(
    { SMTP_URL: smtp.url, CHAT_AGENT_TOKEN: AGENT_TOKEN, LOGIN_RATE_LIMIT: '1000', SLA_SWEEP_SECONDS: '1' },
    { log, clock: OPEN_CLOCK },
  );
  await createUser(loket.database.db, { email: PERSONAL.agentEmail, name: 'Ans Agent', role: 'agent', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await loket?.stop();
  await smtp?.close();
});

it('writes none of the names, addresses, numbers and texts of a whole flow to its log', async () => {
  const form = (body: Record<string, string>) =>
    fetch(`${loket.url}/api/v1/webform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sent = await form({
    name: PERSONAL.name,
    email: PERSONAL.email,
    employeeNumber: PERSONAL.employeeNumber,
    subject: PERSONAL.subject,
    message: `Mijn ${PERSONAL.message} klopt niet. Ik woon op ${PERSONAL.street}, bel ${PERSONAL.phone}.`,
  });
  expect(sent.status).toBe(202);
  const { reference } = (await sent.json()) as { reference: string };
  // Refused input names the field, and the log does not repeat what was sent.
  expect((await form({ name: PERSONAL.name, email: `${PERSONAL.surname}@`, subject: PERSONAL.subject, message: PERSONAL.message })).status).toBe(400);

  const chat = await visitor(loket.url);
  const started = await chat.call<{ ok: boolean }>('chat:start', { name: PERSONAL.chatName, email: PERSONAL.email, topic: 'inloggen' });
  expect(started.ok).toBe(true);
  expect(await chat.call('chat:message', { clientId: 'w1', text: `Hulp bij ${PERSONAL.chatText} graag.` })).toEqual({ ok: true });
  chat.close();

  expect(
    (
      await fetch(`${loket.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: PERSONAL.agentEmail, password: 'fout-wachtwoord' }),
        redirect: 'manual',
      })
    ).status,
  ).toBe(401);
  const ans = await loginAs(loket.url, PERSONAL.agentEmail);
  const call = await fetch(`${loket.url}/api/v1/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: ans.cookie, 'x-csrf-token': ans.csrfToken },
    body: JSON.stringify({ phone: PERSONAL.phone, callerName: PERSONAL.callerName, summary: `Vraag over ${PERSONAL.message}.`, outcome: 'beantwoord' }),
  });
  expect(call.status).toBe(202);

  await waitFor(async () => (await loket.db!.query(`select 1 from cases where reference = $1`, [reference])).length === 1, 'the case');
  expect((await fetch(`${loket.url}/werkplek/zaken?q=${PERSONAL.surname}`, { headers: { cookie: ans.cookie } })).status).toBe(200);
  expect((await fetch(`${loket.url}/werkplek/zaken/${reference}`, { headers: { cookie: ans.cookie } })).status).toBe(200);
  expect((await postAs(loket.url, ans, `/werkplek/zaken/${reference}/notitie`, { text: `Let op: ${PERSONAL.note}.` })).status).toBe(303);
  expect((await postAs(loket.url, ans, `/werkplek/zaken/${reference}/antwoord`, { text: `Over de ${PERSONAL.answer}: wij bellen u.` })).status).toBeLessThan(
    400,
  );
  await waitFor(
    async () => smtp.mails.some((m) => m.to.includes(PERSONAL.email) && (m.header('Subject') ?? '').includes('Nieuw bericht')),
    'the answer announced by mail',
  );

  // The case page's link is a key to the person's case: it stays out of the log too.
  const [{ status_token: token } = { status_token: '' }] = await loket.db!.query<{ status_token: string }>(
    `select status_token from cases where reference = $1`,
    [reference],
  );
  expect((await fetch(`${loket.url}/zaak/${token}`)).status).toBe(200);

  const output = JSON.stringify(lines);
  expect(output).not.toContain(token);
  // The flow was logged (or this test proves nothing): requests, the intake, the delivery.
  expect(lines.length).toBeGreaterThan(20);
  expect(output).toContain(reference);
  const found = Object.entries(PERSONAL).filter(([, value]) => output.toLowerCase().includes(value.toLowerCase()));
  expect(
    found,
    found
      .map(
        ([key]) =>
          `${key}: ${JSON.stringify(
            lines.find((line) =>
              JSON.stringify(line)
                .toLowerCase()
                .includes(PERSONAL[key as keyof typeof PERSONAL].toLowerCase()),
            ),
          )}`,
      )
      .join('\n'),
  ).toEqual([]);
});
