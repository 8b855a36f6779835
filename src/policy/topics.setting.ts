import { asc, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/database.js';
import { topics } from '../db/schema.js';

const keywordList = z.array(z.string().trim().min(1).max(100)).max(200);

/** One topic as admins edit it; its position is its place in the list. */
export const topicSettingSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'kleine letters, cijfers en streepjes'),
    nameNl: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().min(1).max(100),
    keywords: z.object({ nl: keywordList, en: keywordList }).strict(),
    team: z.string().trim().min(1).max(100).nullable().default(null),
    weight: z.number().int().min(1).max(10).default(1),
  })
  .strict();

export const topicsSettingSchema = z
  .array(topicSettingSchema)
  .min(1, 'er moet minstens één onderwerp zijn')
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((topic, i) => {
      if (seen.has(topic.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `onderwerp "${topic.key}" komt twee keer voor` });
      seen.add(topic.key);
    });
  });

export type TopicsSetting = z.infer<typeof topicsSettingSchema>;

/** The topics table as the list admins edit. */
export async function readTopicsSetting(db: Db | Tx): Promise<TopicsSetting> {
  const rows = await db.select().from(topics).orderBy(asc(topics.position));
  return rows.map(({ key, nameNl, nameEn, keywords, team, weight }) => ({ key, nameNl, nameEn, keywords, team, weight }));
}

/** Makes the topics table exactly this list, in this order. */
export async function writeTopicsSetting(tx: Tx, list: TopicsSetting): Promise<void> {
  await tx.delete(topics).where(
    notInArray(
      topics.key,
      list.map((t) => t.key),
    ),
  );
  for (const [i, topic] of list.entries()) {
    const row = { ...topic, position: i + 1 };
    await tx
      .insert(topics)
      .values(row)
      .onConflictDoUpdate({ target: topics.key, set: { ...row, updatedAt: sql`now()` } });
  }
}
