import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

export interface OpsOptions {
  metrics: Metrics;
  /** Each check throws when its dependency is unusable. */
  checks: Record<string, () => Promise<void>>;
  /** Each receiving channel's state: shown, never failing readiness (a refused mailbox must not take the web down). */
  channels?: () => Record<string, unknown>;
}

/** Liveness, readiness (database and Redis, with the channels' sources as detail) and Prometheus metrics. */
export function registerOpsRoutes(app: FastifyInstance, options: OpsOptions): void {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results), channels: options.channels?.() ?? {} });
  });

  app.get('/metrics', { config: { access: 'metrics' } }, async (_request, reply) => {
    reply.type(options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
