import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/database.js';
import { settings } from './db/schema.js';
import { DEFAULT_OFFICE_HOURS_SETTING, officeHoursSettingSchema } from './policy/office-hours.setting.js';
import { routingRulesSchema } from './policy/rules.schema.js';
import { DEFAULT_REPLY_TEMPLATES, replyTemplatesSchema } from './policy/templates.js';
import { DEFAULT_DELIVERY_RETRY, deliveryRetrySchema } from './policy/delivery.setting.js';
import { chatConsoleSchema, DEFAULT_CHAT_CONSOLE } from './policy/chat-console.setting.js';
import { classifyConfidenceSchema, DEFAULT_CLASSIFY_CONFIDENCE } from './policy/classify.setting.js';
import { DEFAULT_SLA, slaSettingSchema } from './policy/sla.setting.js';
import { complaintDeadlinesSchema, DEFAULT_COMPLAINT_DEADLINES } from './policy/complaint.setting.js';
import { DEFAULT_RETENTION, retentionPeriodsSchema } from './policy/retention.setting.js';

/** What admins tune, with the value used when the database holds none (or a broken one). */
export const SETTINGS = {
  'chat.topics': { schema: z.array(z.string().min(1)).max(50), fallback: ['inloggen', 'personeelsgesprekken'] },
  'routing.rules': { schema: routingRulesSchema, fallback: [] },
  'office.hours': { schema: officeHoursSettingSchema, fallback: DEFAULT_OFFICE_HOURS_SETTING },
  'reply.templates': { schema: replyTemplatesSchema, fallback: DEFAULT_REPLY_TEMPLATES },
  'delivery.retry': { schema: deliveryRetrySchema, fallback: DEFAULT_DELIVERY_RETRY },
  'chat.console': { schema: chatConsoleSchema, fallback: DEFAULT_CHAT_CONSOLE },
  'classify.confidence': { schema: classifyConfidenceSchema, fallback: DEFAULT_CLASSIFY_CONFIDENCE },
  'sla.targets': { schema: slaSettingSchema, fallback: DEFAULT_SLA },
  'complaint.deadlines': { schema: complaintDeadlinesSchema, fallback: DEFAULT_COMPLAINT_DEADLINES },
  'retention.periods': { schema: retentionPeriodsSchema, fallback: DEFAULT_RETENTION },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;

/**
 * Settings read from the database and kept for a short while, so a change reaches every
 * process within `maxAgeMs` without a restart and without a query per message.
 */
export class SettingsCache {
  /** The rows as read, and each key's value once checked against its schema (at most once per read). */
  private cached: { at: number; values: Map<string, unknown>; checked: Map<string, unknown> } | undefined;
  /** The read under way, shared by everyone who asks meanwhile. */
  private reading: Promise<NonNullable<SettingsCache['cached']>> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 2_000,
  ) {}

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
    const cached = this.cached && Date.now() - this.cached.at < this.maxAgeMs ? this.cached : await this.read();
    if (!cached.checked.has(key)) {
      const parsed = SETTINGS[key].schema.safeParse(cached.values.get(key));
      cached.checked.set(key, parsed.success ? parsed.data : SETTINGS[key].fallback);
    }
    return cached.checked.get(key) as SettingValue<K>;
  }

  private read(): Promise<NonNullable<SettingsCache['cached']>> {
    this.reading ??= (async () => {
      try {
        const rows = await this.db.select({ key: settings.key, value: settings.value }).from(settings);
        this.cached = { at: Date.now(), values: new Map(rows.map((row) => [row.key, row.value])), checked: new Map() };
        return this.cached;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  async set<K extends SettingKey>(key: K, value: SettingValue<K>): Promise<void> {
    const checked = SETTINGS[key].schema.parse(value);
    await this.db
      .insert(settings)
      .values({ key, value: checked })
      .onConflictDoUpdate({ target: settings.key, set: { value: checked, updatedAt: sql`now()` } });
    this.cached = undefined;
  }
}
