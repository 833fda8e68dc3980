/**
 * Settings most scenarios share: APs publish telemetry every 10 s (the effective interval of an
 * AP, so up holds 2.5 × 10 = 25 s), the SNMP collector polls every 60 s (up holds 150 s), and the
 * collectors beat every 5 s (MQTT) and 10 s (SNMP): at most half the shortest interval they watch,
 * so a collector killed without a word is dead 2 beats = 10 s (MQTT) after its last beat.
 */
import { S, type ScenarioConfig } from '../types.js';

export const CONFIG: ScenarioConfig = { wifiS: 10, fibreS: 60, heartbeatS: { mqtt: 5, snmp: 10 } };
/** the AP telemetry period, ms */
export const TELEMETRY_MS = 10 * S;
/** the SNMP poll period, ms */
export const POLL_MS = 60 * S;
