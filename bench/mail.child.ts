/**
 * Loket for bench/mail.ts, in a process of its own: the bench's APPENDs, IDLE watcher,
 * database polling and the raw-IMAP baseline then never share Loket's event loop.
 * Configuration comes from the environment the parent sets, through Loket's own loader.
 * Protocol over the IPC channel: child sends {type:'ready'} or {type:'failed'}; the parent
 * sends {type:'stop'}, the child closes Loket and exits.
 */
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLoket, type Loket } from '../src/main.js';

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

let loket: Loket | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const force = setTimeout(() => process.exit(2), 20_000);
    force.unref();
    await loket?.close().catch(() => undefined);
  }
  process.exit(code);
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') void stop(0);
});
process.on('disconnect', () => void stop(0)); // parent gone: do not linger

try {
  const config = loadConfig(process.env);
  loket = await startLoket(config, { log: createLogger(config.LOG_LEVEL) });
  await send({ type: 'ready', url: loket.url });
} catch (err) {
  await send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  await stop(1);
}
