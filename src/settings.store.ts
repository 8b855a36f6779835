import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/database.js';
import { settings } from './db/schema.js';
import { DEFAULT_OFFICE_HOURS_SETTING, officeHoursSettingSchema } from './admin/office-hours.setting.js';
import { routingRulesSchema } from './admin/rules.schema.js';
import { DEFAULT_REPLY_TEMPLATES, replyTemplatesSchema } from './admin/templates.js';

/** What admins tune, with the value used when the database holds none (or a broken one). */
export const SETTINGS = {
  'chat.topics': { schema: z.array(z.string().min(1)).max(50), fallback: ['inloggen', 'personeelsgesprekken'] },
  'routing.rules': { schema: routingRulesSchema, fallback: [] },
  'office.hours': { schema: officeHoursSettingSchema, fallback: DEFAULT_OFFICE_HOURS_SETTING },
  'reply.templates': { schema: replyTemplatesSchema, fallback: DEFAULT_REPLY_TEMPLATES },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;

/**
 * Settings read from the database and kept for a short while, so a change reaches every
 * process within `maxAgeMs` without a restart and without a query per message.
 */
export class SettingsCache {
  private cached: { at: number; values: Map<string, unknown> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 2_000,
  ) {}

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
    if (!this.cached || Date.now() - this.cached.at >= this.maxAgeMs) {
      const rows = await this.db.select({ key: settings.key, value: settings.value }).from(settings);
      this.cached = { at: Date.now(), values: new Map(rows.map((row) => [row.key, row.value])) };
    }
    const parsed = SETTINGS[key].schema.safeParse(this.cached.values.get(key));
    return (parsed.success ? parsed.data : SETTINGS[key].fallback) as SettingValue<K>;
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
