import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '../../queues/jobs.js';

export const QUEUES_BOARD_PATH = '/admin/queues';

/**
 * Bull Board under /admin/queues: the queues, their jobs, retry of failed ones. Its routes
 * declare no access of their own, so the access layer keeps them for admins.
 */
export async function registerQueuesBoard(app: FastifyInstance, queues: Queues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter });
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUES_BOARD_PATH });
}
