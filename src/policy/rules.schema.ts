import { z } from 'zod';
import { channelNameSchema } from '../message.js';
import { patternProblem } from './pattern.js';

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The topic a complaint gets (seeded in drizzle/0001_seed_topics.sql). */
export const COMPLAINT_TOPIC = 'klacht';

const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    const why = patternProblem(pattern);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** A sender condition: a whole address (`a@b.nl`) or a domain (`@minbzk.nl`). */
const senderSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^@\s]+)?@[^@\s]+\.[^@\s]+$/, 'een adres (naam@domein.nl) of een domein (@domein.nl)');

/** What must hold for a rule to apply: every condition given. */
export const ruleConditionsSchema = z
  .object({
    channels: z.array(channelNameSchema).min(1).optional(),
    topics: z.array(z.string().min(1)).min(1).optional(),
    senders: z.array(senderSchema).min(1).optional(),
    subjectContains: z.string().min(1).max(200).optional(),
    bodyContains: z.string().min(1).max(200).optional(),
    subjectMatches: patternSchema.optional(),
    bodyMatches: patternSchema.optional(),
    hasAttachment: z.boolean().optional(),
    officeHours: z.enum(['inside', 'outside']).optional(),
  })
  .strict();

/** What a rule does when it applies. */
export const ruleActionsSchema = z
  .object({
    topic: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** Marks the message a complaint: topic `klacht`. */
    complaint: z.literal(true).optional(),
    /** The key of a reply template that replaces the acknowledgement. */
    replyTemplate: z.string().min(1).optional(),
    /** No further rules after this one. */
    stop: z.literal(true).optional(),
  })
  .strict()
  .refine((actions) => Object.keys(actions).length > 0, 'een regel moet minstens één actie hebben');

export const routingRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'kleine letters, cijfers en streepjes, hoogstens 50'),
    name: z.string().max(200).default(''),
    enabled: z.boolean().default(true),
    when: ruleConditionsSchema.default({}),
    then: ruleActionsSchema,
  })
  .strict();

/** The ordered rules: the first applies first; a later one may overrule it unless it stops. */
export const routingRulesSchema = z
  .array(routingRuleSchema)
  .max(200)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id "${rule.id}" komt twee keer voor` });
      seen.add(rule.id);
    });
  });

export type RoutingRule = z.infer<typeof routingRuleSchema>;
export type RoutingRuleInput = z.input<typeof routingRuleSchema>;
