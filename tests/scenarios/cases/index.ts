/** Every scenario, in the order the issue lists them. */
import type { Scenario } from '../types.js';
import { apPowerCut } from './ap-power-cut.js';
import { apGracefulOffline } from './ap-graceful-offline.js';
import { apOfflineAcrossRestart } from './ap-offline-across-restart.js';
import { collectorDown30s } from './collector-down-30s.js';
import { collectorNetworkCut } from './collector-network-cut.js';
import { collectorSigkill } from './collector-sigkill.js';
import { apSilent } from './ap-silent.js';
import { snmpSteady } from './snmp-steady.js';
import { snmpUnreachable } from './snmp-unreachable.js';
import { snmpWrongKey } from './snmp-wrong-key.js';
import { maintenanceOverOutage } from './maintenance-over-outage.js';
import { outageAcrossHour } from './outage-across-hour.js';

export const SCENARIOS: readonly Scenario[] = [
  apPowerCut, apGracefulOffline, apOfflineAcrossRestart, collectorDown30s, collectorNetworkCut, collectorSigkill,
  apSilent, snmpSteady, snmpUnreachable, snmpWrongKey, maintenanceOverOutage, outageAcrossHour,
];
