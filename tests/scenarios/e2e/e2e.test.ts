/**
 * The end-to-end scenario runs, SNMP first, then MQTT, one after the other in this one file: run
 * at once (two test files in two workers), the MQTT runs' child processes starved the simulated
 * SNMP agents of CPU on the 2-core machine and polls timed out that should have been answered.
 */
import { describeMqttEndToEnd } from './mqtt-e2e.js';
import { describeSnmpEndToEnd } from './snmp-e2e.js';

describeSnmpEndToEnd();
describeMqttEndToEnd();
