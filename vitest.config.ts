import { defineConfig } from 'vitest/config';

const include = ['tests/**/*.test.ts', 'server/**/*.test.ts', 'collectors/**/*.test.ts', 'sim/**/*.test.ts'];
const exclude = ['node_modules/**', 'dist/**', 'data/**'];

/**
 * Tests that assert a latency (issue 14: `/api/health` under 200 ms while 20 clients read 1825-day
 * windows and 5 000 msg/s flow) measure the machine as much as the code when another test file
 * shares the two cores with them. They run in a second group, alone, after every other file.
 */
const alone = ['tests/integration/api-heavy-reads-ingest.test.ts'];

export default defineConfig({
  test: {
    // Integration tests talk to real services and wait for real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { NETATLAS_LOG_LEVEL: 'silent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include,
          exclude: [...exclude, ...alone],
          // Two cores: more workers only add contention with InfluxDB, snmpd and Mosquitto.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: alone,
          exclude,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
