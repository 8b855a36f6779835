/**
 * Loket for the chat bench, in a process of its own (see loket.child.ts for why), with
 * its office-hours clock fixed inside opening hours: at night the chat is offline and
 * would answer every visitor with the offline notice instead of routing the message.
 */
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLoket } from '../src/main.js';
import { serveParent } from './child.side.js';
import { recordEventLoop } from './chat.loop.js';

/** Tuesday 24 November 2026, 10:00 in Amsterdam: a working day, mid-morning. */
const OFFICE_HOURS = new Date('2026-11-24T09:00:00Z');

serveParent(async () => {
  const config = loadConfig(process.env);
  const stopRecording = recordEventLoop(process.env['BENCH_CHAT_LOOP_FILE']);
  const loket = await startLoket(config, { log: createLogger(config.LOG_LEVEL), clock: () => OFFICE_HOURS });
  return {
    url: loket.url,
    stop: async () => {
      stopRecording();
      await loket.close();
    },
  };
});
