import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The Prometheus metrics of one process. */
export class Metrics {
  readonly registry = new Registry();
  readonly messagesIn = new Counter({
    name: 'loket_messages_in_total',
    help: 'Messages accepted by intake, per channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly routingLatency = new Histogram({
    name: 'loket_routing_latency_seconds',
    help: 'From message stored to message routed',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: 'loket_delivery_latency_seconds',
    help: 'From outbox row written to sent',
    labelNames: ['channel', 'kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly deliveryFailures = new Counter({
    name: 'loket_delivery_failures_total',
    help: 'Outbox sends that failed, by kind of failure',
    labelNames: ['channel', 'failure'] as const,
    registers: [this.registry],
  });

  readonly channelUp = new Gauge({
    name: 'loket_channel_up',
    help: 'Whether a receiving source of this process works: 1 up, 0 down (e.g. a mailbox its server refuses)',
    labelNames: ['channel', 'source'] as const,
    registers: [this.registry],
  });

  constructor(queueDepths?: () => Promise<Record<string, Record<string, number>>>) {
    collectDefaultMetrics({ register: this.registry });
    if (queueDepths) {
      new Gauge({
        name: 'loket_queue_jobs',
        help: 'Jobs per queue and state',
        labelNames: ['queue', 'state'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [queue, counts] of Object.entries(await queueDepths())) {
            for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
          }
        },
      });
    }
  }
}
