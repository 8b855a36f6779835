import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { setupTokens, users } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { html, type SafeHtml } from '../ui/html.js';
import { errorFocus, layout } from '../ui/layout.js';
import { browserLocale, chosenLocale } from '../http/browser-locale.js';
import type { UiLocale } from '../workspace/language.js';
import { createUser } from './accounts.js';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** One lock for every process: two first admins at once make one. */
const SETUP_LOCK = 7_402_016;

async function hasAdmin(db: Db | Parameters<Parameters<Db['transaction']>[0]>[0]): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .limit(1);
  return row !== undefined;
}

/**
 * On an installation without an admin: a one-time link to /setup, printed in the log (only its
 * hash is stored, so any process can check it). Returns the link, or undefined when an admin exists.
 */
export async function offerSetup(db: Db, publicUrl: string, log: Logger): Promise<string | undefined> {
  if (await hasAdmin(db)) {
    await db.delete(setupTokens);
    return undefined;
  }
  const token = randomBytes(24).toString('base64url');
  await db.insert(setupTokens).values({ tokenHash: hashOf(token) });
  const link = `${publicUrl.replace(/\/$/, '')}/setup?token=${token}`;
  log.warn({ setupLink: link }, 'Loket has no admin yet: open the setup link once to create the first admin in the browser');
  return link;
}

const TEXTS = {
  nl: {
    title: 'Loket inrichten',
    intro: 'Loket heeft nog geen beheerder. Maak hier het eerste beheerdersaccount; daarmee maakt u daarna de andere accounts.',
    name: 'Uw naam',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    passwordHint: 'Minstens 12 tekens. Kies een wachtwoord dat u nergens anders gebruikt.',
    repeat: 'Wachtwoord nog een keer',
    submit: 'Beheerder aanmaken',
    taken: 'Er is al een account met dit e-mailadres; kies een ander.',
    errors: (n: number) => `Het account is niet aangemaakt: ${n} ${n === 1 ? 'fout' : 'fouten'}`,
    done: 'De beheerder is aangemaakt',
    doneText: 'U kunt nu inloggen. De link om Loket in te richten werkt niet meer.',
    login: 'Naar inloggen',
    invalid: 'Deze link werkt niet (meer)',
    invalidText:
      'Loket is al ingericht, of de link is niet compleet. Is er nog geen beheerder? Dan staat een nieuwe link in het log van Loket zodra het opnieuw start.',
    fillName: 'Vul uw naam in.',
    nameTooLong: 'De naam is te lang (hoogstens 200 tekens).',
    fillEmail: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    passwordTooShort: 'Het wachtwoord moet minstens 12 tekens hebben.',
    passwordTooLong: 'Het wachtwoord is te lang.',
    notTheSame: 'De twee wachtwoorden zijn niet gelijk.',
  },
  en: {
    title: 'Set up Loket',
    intro: 'Loket has no administrator yet. Create the first administrator account here; with it you then create the other accounts.',
    name: 'Your name',
    email: 'E-mail address',
    password: 'Password',
    passwordHint: 'At least 12 characters. Choose a password you use nowhere else.',
    repeat: 'Password again',
    submit: 'Create the administrator',
    taken: 'There already is an account with this e-mail address; choose another.',
    errors: (n: number) => `The account was not created: ${n} ${n === 1 ? 'error' : 'errors'}`,
    done: 'The administrator has been created',
    doneText: 'You can sign in now. The link to set up Loket no longer works.',
    login: 'To sign in',
    invalid: 'This link does not work (any more)',
    invalidText:
      "Loket has been set up already, or the link is incomplete. Is there no administrator yet? Then a new link appears in Loket's log as soon as it starts again.",
    fillName: 'Enter your name.',
    nameTooLong: 'The name is too long (at most 200 characters).',
    fillEmail: 'Enter a valid e-mail address, such as name@example.org.',
    passwordTooShort: 'The password must have at least 12 characters.',
    passwordTooLong: 'The password is too long.',
    notTheSame: 'The two passwords are not the same.',
  },
} as const;

const formIn = (t: (typeof TEXTS)[UiLocale]) =>
  z
    .object({
      token: z.string().min(1).max(200),
      naam: z.string().trim().min(1, t.fillName).max(200, t.nameTooLong),
      email: z.email(t.fillEmail).max(320),
      wachtwoord: z.string().min(12, t.passwordTooShort).max(1_000, t.passwordTooLong),
      herhaling: z.string().max(1_000),
    })
    .refine((input) => input.wachtwoord === input.herhaling, { path: ['herhaling'], message: t.notTheSame });
const FORMS = { nl: formIn(TEXTS.nl), en: formIn(TEXTS.en) };

type Fields = Partial<Record<'naam' | 'email' | 'wachtwoord' | 'herhaling', string>>;

/** `?lang=…` when the visitor picked the language in the address, so the next page keeps it. */
const keepChoice = (request: FastifyRequest) => {
  const chosen = chosenLocale(request);
  return chosen ? `?lang=${chosen}` : '';
};

function setupPage(request: FastifyRequest, token: string, values: { naam?: string; email?: string }, errors: Fields): string {
  const lang = browserLocale(request);
  const t = TEXTS[lang];
  const other: UiLocale = lang === 'nl' ? 'en' : 'nl';
  const field = (name: keyof Fields, label: string, type: string, autocomplete: string, hint?: string) => {
    const error = errors[name];
    const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    const value = name === 'naam' || name === 'email' ? (values[name] ?? '') : '';
    return html`<label for="${name}">${label}</label>${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : ''}${
      error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''
    }
<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" value="${value}" required${described ? html` aria-describedby="${described}"` : ''}${
      error ? html` aria-invalid="true"` : ''
    }>`;
  };
  const list = Object.entries(errors) as [keyof Fields, string][];
  const summary: SafeHtml | '' = list.length
    ? html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1"><h2>${t.errors(list.length)}</h2>
<ul>${list.map(([name, message]) => html`<li><a href="#${name}">${message}</a></li>`)}</ul></div>${errorFocus()}`
    : '';
  return layout({
    lang,
    title: t.title,
    // The other language keeps the one-time link, which this page already holds (it is never cached).
    header: html`<a href="/setup?${new URLSearchParams({ token, lang: other }).toString()}" lang="${other}" hreflang="${other}">${
      other === 'en' ? 'English' : 'Nederlands'
    }</a>`,
    body: html`<h1>${t.title}</h1>
<p>${t.intro}</p>
${summary}
<form method="post" action="/setup${keepChoice(request)}" novalidate>
<input type="hidden" name="token" value="${token}">
${field('naam', t.name, 'text', 'name')}
${field('email', t.email, 'email', 'username')}
${field('wachtwoord', t.password, 'password', 'new-password', t.passwordHint)}
${field('herhaling', t.repeat, 'password', 'new-password')}
<button type="submit">${t.submit}</button>
</form>`,
  });
}

const message = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, text: string, link?: SafeHtml) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(layout({ lang: browserLocale(request), title, body: html`<h1>${title}</h1><p>${text}</p>${link ?? ''}` }));

/**
 * GET/POST /setup?token=…: the first admin, made in the browser with the one-time link from the
 * log. Not found (404) once an admin exists or with a link that is not one; the link stops working
 * when the admin is made. Public (nobody can sign in yet), guarded by the link's 192 random bits
 * and the login's rate limit.
 */
export function registerSetupRoutes(app: FastifyInstance, deps: { db: Db; attemptsPerMinute: number }): void {
  const valid = async (token: string | undefined) => {
    if (!token || token.length > 200) return false;
    const [row] = await deps.db
      .select({ hash: setupTokens.tokenHash })
      .from(setupTokens)
      .where(eq(setupTokens.tokenHash, hashOf(token)));
    return row !== undefined && !(await hasAdmin(deps.db));
  };
  const rateLimit = { max: deps.attemptsPerMinute, timeWindow: 60_000 };

  app.get('/setup', { config: { access: 'public', rateLimit } }, async (request, reply) => {
    const token = (request.query as { token?: string }).token;
    const t = TEXTS[browserLocale(request)];
    if (!(await valid(token))) return message(request, reply, 404, t.invalid, t.invalidText);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(setupPage(request, token!, {}, {}));
  });

  app.post('/setup', { config: { access: 'public', rateLimit }, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body['token'] === 'string' ? body['token'] : undefined;
    const lang = browserLocale(request);
    const t = TEXTS[lang];
    if (!(await valid(token))) return message(request, reply, 404, t.invalid, t.invalidText);
    const parsed = FORMS[lang].safeParse(body);
    if (!parsed.success) {
      const errors: Fields = {};
      for (const issue of parsed.error.issues) errors[issue.path[0] as keyof Fields] ??= issue.message;
      const values = { naam: typeof body['naam'] === 'string' ? body['naam'] : '', email: typeof body['email'] === 'string' ? body['email'] : '' };
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(setupPage(request, token!, values, errors));
    }
    const made = await deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
      if (await hasAdmin(tx)) return false;
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = lower(${parsed.data.email})`);
      if (taken) return 'taken' as const;
      const [used] = await tx
        .delete(setupTokens)
        .where(eq(setupTokens.tokenHash, hashOf(token!)))
        .returning({ hash: setupTokens.tokenHash });
      if (!used) return false;
      await createUser(tx as unknown as Db, { email: parsed.data.email, name: parsed.data.naam, role: 'admin', password: parsed.data.wachtwoord });
      await tx.delete(setupTokens);
      return true;
    });
    if (made === 'taken') {
      const errors: Fields = { email: t.taken };
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(setupPage(request, token!, parsed.data, errors));
    }
    if (!made) return message(request, reply, 404, t.invalid, t.invalidText);
    request.log.info('first admin created through /setup');
    return message(request, reply, 201, t.done, t.doneText, html`<p><a href="/login${keepChoice(request)}">${t.login}</a></p>`);
  });
}
