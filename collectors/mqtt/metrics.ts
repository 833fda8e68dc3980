/**
 * The collector's self-metrics (prom-client, on the instance's registry). A registry may already
 * hold them when two collectors share one process (tests, several shared-group members); they then
 * share the series, which is what a Prometheus scrape of one process should show anyway.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { REJECT_REASONS } from './payload.js';
import { registered } from '../../core/self-metrics.js';

export interface MqttMetrics {
  messages: Counter<'kind'>;
  rejected: Counter<'reason'>;
  connected: Gauge;
  reconnects: Counter;
  pointsWritten: Counter;
  unacked: Gauge;
  /** the broker's own counters from $SYS (broker-sys.ts) */
  brokerSysVisible: Gauge;
  brokerDroppedCounter: Gauge;
  brokerDropped: Counter;
  brokerStored: Gauge;
  brokerClients: Gauge;
}

export function createMqttMetrics(registry: Registry): MqttMetrics {
  const registers = [registry];
  const rejected = registered(registry, 'netatlas_mqtt_rejected_total', () =>
    new Counter({ name: 'netatlas_mqtt_rejected_total', help: 'MQTT messages rejected, by reason', labelNames: ['reason'] as const, registers }),
  );
  // every reason shows as 0 from the start, so alerts on rate() work before the first rejection
  for (const reason of REJECT_REASONS) rejected.inc({ reason }, 0);
  return {
    messages: registered(registry, 'netatlas_mqtt_messages_total', () =>
      new Counter({ name: 'netatlas_mqtt_messages_total', help: 'MQTT messages received, by topic kind', labelNames: ['kind'] as const, registers }),
    ),
    rejected,
    connected: registered(registry, 'netatlas_mqtt_connected', () =>
      new Gauge({ name: 'netatlas_mqtt_connected', help: '1 while the collector is connected to the broker', registers }),
    ),
    reconnects: registered(registry, 'netatlas_mqtt_reconnects_total', () =>
      new Counter({ name: 'netatlas_mqtt_reconnects_total', help: 'reconnect attempts to the broker', registers }),
    ),
    pointsWritten: registered(registry, 'netatlas_mqtt_points_written_total', () =>
      new Counter({ name: 'netatlas_mqtt_points_written_total', help: 'points handed to the sink and acknowledged by it', registers }),
    ),
    unacked: registered(registry, 'netatlas_mqtt_unacked_messages', () =>
      new Gauge({ name: 'netatlas_mqtt_unacked_messages', help: 'QoS 1 messages received whose PUBACK waits for the sink', registers }),
    ),
    brokerSysVisible: registered(registry, 'netatlas_mqtt_broker_sys_visible', () =>
      new Gauge({ name: 'netatlas_mqtt_broker_sys_visible', help: '1 once the broker sent its $SYS counters (Mosquitto); 0: broker-side loss is not visible', registers }),
    ),
    brokerDroppedCounter: registered(registry, 'netatlas_mqtt_broker_publish_dropped', () =>
      new Gauge({ name: 'netatlas_mqtt_broker_publish_dropped', help: 'the broker\'s $SYS/broker/publish/messages/dropped: messages it dropped since it started', registers }),
    ),
    brokerDropped: registered(registry, 'netatlas_mqtt_broker_dropped_total', () =>
      new Counter({ name: 'netatlas_mqtt_broker_dropped_total', help: 'rises of the broker\'s dropped-message counter seen by the collector', registers }),
    ),
    brokerStored: registered(registry, 'netatlas_mqtt_broker_stored_messages', () =>
      new Gauge({ name: 'netatlas_mqtt_broker_stored_messages', help: 'the broker\'s $SYS/broker/store/messages/count: retained and queued messages it holds', registers }),
    ),
    brokerClients: registered(registry, 'netatlas_mqtt_broker_clients_connected', () =>
      new Gauge({ name: 'netatlas_mqtt_broker_clients_connected', help: 'the broker\'s $SYS/broker/clients/connected', registers }),
    ),
  };
}
