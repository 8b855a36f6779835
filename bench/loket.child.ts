/**
 * Loket under test, in a process of its own: the HTTP client in the parent then does
 * not share Loket's event loop (it would add its own JSON and socket work to every
 * latency Loket is blamed for), just as a real web form client never runs inside Loket.
 * Configuration comes from the environment the parent sets, through Loket's own loader.
 */
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLoket } from '../src/main.js';
import { serveParent } from './child.side.js';

serveParent(async () => {
  const config = loadConfig(process.env);
  const loket = await startLoket(config, { log: createLogger(config.LOG_LEVEL) });
  return { url: loket.url, stop: () => loket.close() };
});
