import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'channels/**/*.test.ts', 'queues/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Builds the chat widget once, as `npm run build` does, so Loket under test serves it.
    globalSetup: ['test/global-setup.ts'],
    // Each test file removes the Redis keys of the queue prefixes it made.
    setupFiles: ['test/support/cleanup.setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
