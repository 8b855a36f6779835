import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { caseByReference } from './case-view.query.js';
import type { Db } from '../db/database.js';

/** Who has a case open, and whether they are typing an answer or a note there. */
export const viewerSchema = z.object({ id: z.number().int().positive(), name: z.string(), typing: z.boolean() });
export type Viewer = z.infer<typeof viewerSchema>;

/** What one publish on the presence channel carries: a case's viewers as they are now. */
export const presenceSchema = z.object({ caseId: z.number().int().positive(), viewers: z.array(viewerSchema) });
export type Presence = z.infer<typeof presenceSchema>;

/** The Redis channel presence changes go out on; every web node's live stream passes them on. */
export const presenceChannel = (prefix: string) => `${prefix}:workspace:presence`;

/** A page that has not said it is there for this long has been closed (the script beats every 15 s). */
export const PRESENCE_SECONDS = 40;

const beatSchema = z.object({ typing: z.boolean().default(false), leaving: z.boolean().default(false) });
const referenceParams = z.object({ reference: z.string().min(1).max(40) });

/**
 * Who has which case open, kept in Redis (one hash per case: account → name, typing, last
 * beat), so every web node sees every agent. Lost with Redis, which costs nothing but the
 * warning until the next beat.
 */
export class PresenceBoard {
  constructor(private readonly options: { redis: Redis; prefix: string; log: Logger; now?: () => number }) {}

  private key(caseId: number): string {
    return `${this.options.prefix}:presence:case:${caseId}`;
  }

  /** Records a beat (or a departure) and returns the case's viewers, publishing them when they changed. */
  async beat(caseId: number, who: { id: number; name: string }, state: { typing: boolean; leaving: boolean }): Promise<Viewer[]> {
    const { redis } = this.options;
    const key = this.key(caseId);
    const before = await this.viewers(caseId);
    if (state.leaving) await redis.hdel(key, String(who.id));
    else {
      await redis
        .multi()
        .hset(key, String(who.id), JSON.stringify({ name: who.name, typing: state.typing, at: this.now() }))
        .expire(key, PRESENCE_SECONDS * 2)
        .exec();
    }
    const after = await this.viewers(caseId);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      const message: Presence = { caseId, viewers: after };
      await redis.publish(presenceChannel(this.options.prefix), JSON.stringify(message));
    }
    return after;
  }

  /** The agents whose page beat within PRESENCE_SECONDS, by account number. */
  async viewers(caseId: number): Promise<Viewer[]> {
    const entries = await this.options.redis.hgetall(this.key(caseId));
    const since = this.now() - PRESENCE_SECONDS * 1_000;
    const viewers: Viewer[] = [];
    for (const [id, text] of Object.entries(entries)) {
      const entry = z.object({ name: z.string(), typing: z.boolean(), at: z.number() }).safeParse(
        (() => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            return undefined;
          }
        })(),
      );
      if (entry.success && entry.data.at >= since) viewers.push({ id: Number(id), name: entry.data.name, typing: entry.data.typing });
    }
    return viewers.sort((a, b) => a.id - b.id);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * POST /werkplek/zaken/:reference/aanwezig {typing?, leaving?}: the case page's beat (the
 * live script sends it every 15 s, at once when the agent starts or stops typing, and when
 * the page closes). Answers the colleagues who have the case open too.
 */
export function registerPresenceRoutes(app: FastifyInstance, deps: { db: Db; board: PresenceBoard }): void {
  app.post('/werkplek/zaken/:reference/aanwezig', { config: { access: 'agent' } }, async (request, reply) => {
    const params = referenceParams.safeParse(request.params);
    const row = params.success ? await caseByReference(deps.db, params.data.reference) : undefined;
    if (!row) return reply.code(404).send({ error: 'not_found', message: 'Deze zaak bestaat niet.' });
    const body = beatSchema.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'invalid_input', message: 'Ongeldige melding.', fields: { typing: 'true of false' } });
    const me = request.principal!;
    if (me.kind !== 'user') return reply.code(403).send({ error: 'forbidden', message: 'Alleen medewerkers met een account hebben een zaak open.' });
    let viewers: Viewer[];
    try {
      viewers = await deps.board.beat(row.id, { id: me.id, name: me.name }, body.data);
    } catch (err) {
      request.log.warn({ err }, 'presence not recorded');
      return reply.code(503).send({ error: 'unavailable', message: 'Wie deze zaak ook open heeft, is nu niet te zien.' });
    }
    return reply.header('cache-control', 'no-store').send({ caseId: row.id, me: me.id, others: viewers.filter((viewer) => viewer.id !== me.id) });
  });
}
