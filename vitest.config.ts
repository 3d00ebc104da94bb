import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One project per environment: node for shared, electron services and the server; jsdom for the UI.
export default defineConfig({
  test: {
    // One worker per core. Vitest's default (cores - 1) runs a single worker on a 2-core machine, while
    // the server suites mostly wait on SQLite, PostgreSQL and child processes.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { test: { name: 'shared', environment: 'node', include: ['shared/**/*.test.ts'] } },
      { test: { name: 'repo', environment: 'node', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'electron', environment: 'node', include: ['electron/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts'],
          globalSetup: ['server/test/postgresSetup.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      // The red team: attacks replayed over HTTP against the real server process (and PostgreSQL).
      { test: { name: 'security', environment: 'node', include: ['test/security/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/src/test/setup.ts'],
        },
      },
    ],
  },
});
