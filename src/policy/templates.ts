import { z } from 'zod';
import { formatLongDate, type PlainDate } from '../calendar.js';
import { localeSchema, type Locale } from '../message.js';

/** The variables a template may use. */
export const TEMPLATE_VARIABLES = ['reference', 'answerBy', 'name', 'agent'] as const;

const templateText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) {
        if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name ?? '')) {
          ctx.addIssue({ code: 'custom', message: `onbekende variabele {${name}}; toegestaan: ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}` });
        }
      }
    });

export const replyTemplateSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'kleine letters, cijfers en streepjes'),
    name: z.string().min(1).max(200),
    locale: localeSchema,
    subject: templateText(300),
    body: templateText(10_000),
  })
  .strict();

export const replyTemplatesSchema = z
  .array(replyTemplateSchema)
  .max(100)
  .superRefine((templates, ctx) => {
    const seen = new Set<string>();
    templates.forEach((t, i) => {
      const id = `${t.key}/${t.locale}`;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `sjabloon ${t.key} (${t.locale}) komt twee keer voor` });
      seen.add(id);
    });
  });

export type ReplyTemplate = z.infer<typeof replyTemplateSchema>;

/** The templates a fresh installation has. */
export const DEFAULT_REPLY_TEMPLATES: ReplyTemplate[] = [
  {
    key: 'klacht-ontvangen',
    name: 'Klacht ontvangen',
    locale: 'nl',
    subject: 'Wij hebben uw klacht ontvangen [{reference}]',
    body: 'Beste {name},\n\nWij hebben uw klacht ontvangen en geregistreerd onder nummer {reference}. Binnen twee werkdagen neemt een klachtbehandelaar contact met u op. Uiterlijk op {answerBy} hoort u van ons.\n\nMet vriendelijke groet,\nHet contactcenter',
  },
  {
    key: 'buiten-openingstijden',
    name: 'Buiten openingstijden',
    locale: 'nl',
    subject: 'Ontvangstbevestiging [{reference}]',
    body: 'Beste {name},\n\nBedankt voor uw bericht, dat wij buiten onze openingstijden ontvingen. Het is geregistreerd onder nummer {reference}. Wij nemen het op de eerstvolgende werkdag in behandeling; u krijgt uiterlijk op {answerBy} een antwoord.\n\nMet vriendelijke groet,\nHet contactcenter',
  },
  {
    key: 'spoed',
    name: 'Spoed',
    locale: 'nl',
    subject: 'Uw bericht heeft voorrang [{reference}]',
    body: 'Beste {name},\n\nUw bericht is geregistreerd onder nummer {reference} en wordt met voorrang behandeld. U krijgt uiterlijk op {answerBy} een antwoord.\n\nMet vriendelijke groet,\nHet contactcenter',
  },
];

/** The template with this key in the reader's language, else in Dutch. */
export function findTemplate(templates: readonly ReplyTemplate[], key: string, locale: Locale): ReplyTemplate | undefined {
  return templates.find((t) => t.key === key && t.locale === locale) ?? templates.find((t) => t.key === key && t.locale === 'nl');
}

/** The template's subject and body with {reference}, {answerBy}, {name} and (for an agent's answer) {agent} filled in. */
export function renderTemplate(
  template: ReplyTemplate,
  values: { reference: string; answerBy: PlainDate; name: string | undefined; agent?: string },
): { subject: string; body: string } {
  const en = template.locale === 'en';
  const filled: Record<string, string> = {
    reference: values.reference,
    answerBy: formatLongDate(values.answerBy, template.locale),
    name: values.name?.trim() || (en ? 'sir or madam' : 'heer of mevrouw'),
    agent: values.agent ?? (en ? 'the contact center' : 'het contactcenter'),
  };
  const fill = (text: string) => text.replace(/\{(reference|answerBy|name|agent)\}/g, (_, name: string) => filled[name] ?? '');
  return { subject: fill(template.subject), body: fill(template.body) };
}
