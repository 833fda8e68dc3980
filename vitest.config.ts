import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'collectors/**/*.test.ts', 'sim/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'data/**'],
    // Integration tests talk to real services and wait for real timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention with InfluxDB, snmpd and Mosquitto.
    maxWorkers: 2,
    env: { NETATLAS_LOG_LEVEL: 'silent' },
  },
});
