import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    setupFiles: ['tests/unit/setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Numeric tests are CPU-bound; two workers match the two cores CI has.
    maxWorkers: 2,
  },
});
