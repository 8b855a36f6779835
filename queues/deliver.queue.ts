import { z } from 'zod';

/** Send one outbox row over its channel. */
export const DELIVER_QUEUE = 'deliver';
export const deliverJobSchema = z.object({ outboxId: z.number().int().positive() });
export type DeliverJob = z.infer<typeof deliverJobSchema>;
/** One job per outbox row: a second add while the first exists is a no-op. */
export const deliverJobId = (job: DeliverJob) => `out-${job.outboxId}`;
