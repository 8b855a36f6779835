import { z } from 'zod';

/** Thread, classify and acknowledge one stored message. */
export const ROUTE_QUEUE = 'route';
export const routeJobSchema = z.object({ messageId: z.number().int().positive() });
export type RouteJob = z.infer<typeof routeJobSchema>;
/** One job per message: a second add while the first exists is a no-op. */
export const routeJobId = (job: RouteJob) => `msg-${job.messageId}`;
