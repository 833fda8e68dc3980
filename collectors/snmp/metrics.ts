/** The SNMP collector's self-metrics (prefix netatlas_), on the instance's registry. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { registered } from '../../core/self-metrics.js';


export interface SnmpMetrics {
  pollDuration: Gauge<'device'>;
  pollSuccess: Gauge<'device'>;
  failures: Counter<'reason'>;
  badResponses: Counter<'device'>;
  notRun: Counter<'reason'>;
  cycleDevices: Gauge<'result'>;
  unreadableDevices: Gauge;
  /** drop a device's labelled series when it leaves the inventory */
  forget(device: string): void;
}

export function snmpMetrics(registry: Registry): SnmpMetrics {
  const registers = [registry];
  const pollDuration = registered(registry, 'netatlas_snmp_poll_duration_seconds', () => new Gauge({
    name: 'netatlas_snmp_poll_duration_seconds', help: 'Duration of the last SNMP poll of a device', labelNames: ['device'] as const, registers,
  }));
  const pollSuccess = registered(registry, 'netatlas_snmp_poll_success', () => new Gauge({
    name: 'netatlas_snmp_poll_success', help: '1 when the last SNMP poll of a device succeeded completely, else 0', labelNames: ['device'] as const, registers,
  }));
  const failures = registered(registry, 'netatlas_snmp_poll_failures_total', () => new Counter({
    name: 'netatlas_snmp_poll_failures_total', help: 'Failed device polls by reason (timeout, bad-response, agent-error, auth, privacy, time-window, access, view, incomplete)', labelNames: ['reason'] as const, registers,
  }));
  const badResponses = registered(registry, 'netatlas_snmp_bad_responses_total', () => new Counter({
    name: 'netatlas_snmp_bad_responses_total', help: 'Datagrams from an agent that could not be decoded (garbage, truncated)', labelNames: ['device'] as const, registers,
  }));
  const notRun = registered(registry, 'netatlas_snmp_polls_not_run_total', () => new Counter({
    name: 'netatlas_snmp_polls_not_run_total', help: 'Device polls that could not run (cycle aborted, shutting down); nothing is recorded for them', labelNames: ['reason'] as const, registers,
  }));
  const cycleDevices = registered(registry, 'netatlas_snmp_cycle_devices', () => new Gauge({
    name: 'netatlas_snmp_cycle_devices', help: 'Devices in the last poll cycle by result (up, down, unreadable, not_run)', labelNames: ['result'] as const, registers,
  }));
  const unreadableDevices = registered(registry, 'netatlas_snmp_unreadable_devices', () => new Gauge({
    name: 'netatlas_snmp_unreadable_devices', help: 'Devices whose last poll got an answer that could not be read (credentials, MIB view): unknown, not down', registers,
  }));
  return {
    pollDuration, pollSuccess, failures, badResponses, notRun, cycleDevices, unreadableDevices,
    forget(device) {
      pollDuration.remove({ device });
      pollSuccess.remove({ device });
      badResponses.remove({ device });
    },
  };
}
