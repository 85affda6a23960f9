import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests spawn the CLI and bind loopback ports; keep files from fighting over the lab.
    fileParallelism: true,
    pool: 'forks',
  },
});
