import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'marbles/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Pooled memory is overwritten as it returns to its pool: bytes used after their release fail the tests.
    env: { RXINDI_POISON_LINES: '1' },
  },
});
