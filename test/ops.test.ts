/** Health, readiness and metrics of a running Loket on the real PostgreSQL and Redis. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestLoket, type TestLoket } from './support/loket.js';
import { waitFor } from './support/wait.js';

let loket: TestLoket;

beforeAll(async () => {
  loket = await startTestLoket({ WEBFORM_RATE_LIMIT_MAX: '100' });
});

afterAll(async () => {
  await loket?.stop();
});

it('is alive and ready when the database and Redis answer', async () => {
  expect(await (await fetch(`${loket.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${loket.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' }, channels: {} });
});

it('counts messages per channel, queue depths and latencies in Prometheus format', async () => {
  const response = await fetch(`${loket.url}/api/v1/webform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Kees', email: 'kees@example.org', subject: 'Declaratie', message: 'Mijn reiskosten.' }),
  });
  expect(response.status).toBe(202);
  const metrics = await waitFor(async () => {
    const text = await (await fetch(`${loket.url}/metrics`)).text();
    return /loket_delivery_latency_seconds_count\{channel="webform",kind="acknowledgement"\} 1/.test(text) && text;
  }, 'the delivery to show in the metrics');
  expect(metrics).toMatch(/loket_messages_in_total\{channel="webform"\} 1/);
  expect(metrics).toMatch(/loket_routing_latency_seconds_count\{channel="webform"\} 1/);
  expect(metrics).toMatch(/loket_queue_jobs\{queue="route",state="waiting"\} 0/);
  expect(metrics).toMatch(/loket_queue_jobs\{queue="deliver",state="failed"\} 0/);
});

it('is not ready when Redis is unreachable', async () => {
  const cut = await import('./support/loket.js').then((m) => m.startTestLoket({ ROLE: 'web', REDIS_URL: 'redis://127.0.0.1:1' }, { database: loket.db! }));
  try {
    const ready = await fetch(`${cut.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks['database']).toBe('ok');
    expect(body.checks['redis']).not.toBe('ok');
  } finally {
    await cut.stop();
  }
});
