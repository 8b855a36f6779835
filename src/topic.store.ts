import { asc } from 'drizzle-orm';
import type { TopicRule } from './classify.js';
import type { Db } from './db/database.js';
import { topics } from './db/schema.js';

/** Topics read from the database, kept for a short while so routing does not read them per message. */
export interface Topic extends TopicRule {
  nameNl: string;
  nameEn: string;
  team: string | null;
}

export class TopicCache {
  private cached: { at: number; topics: Topic[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 2_000,
  ) {}

  async get(): Promise<Topic[]> {
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.topics;
    const rows = await this.db
      .select({
        key: topics.key,
        nameNl: topics.nameNl,
        nameEn: topics.nameEn,
        team: topics.team,
        keywords: topics.keywords,
        weight: topics.weight,
        position: topics.position,
      })
      .from(topics)
      .orderBy(asc(topics.position));
    this.cached = { at: Date.now(), topics: rows };
    return rows;
  }
}
