/**
 * The mqtt.js options of the collector's client: a persistent session under a stable client id,
 * our own resubscription on every connection, and the configured credentials and TLS material.
 */
import type { IClientOptions } from 'mqtt';
import type { MqttConfig } from './config.js';
import type { TlsMaterial } from './tls.js';

export function clientOptions(c: MqttConfig, clientId: string, protocolVersion: 4 | 5, tls: TlsMaterial | undefined): IClientOptions {
  const options: IClientOptions = {
    clientId,
    clean: false,
    protocolVersion,
    keepalive: c.keepaliveS,
    reconnectPeriod: c.reconnectMinMs,
    connectTimeout: 10_000,
    // we subscribe ourselves on every connection (collector.ts onConnect): mqtt.js would skip it
    // when the session is present, and then the broker would not re-send the retained statuses
    resubscribe: false,
    // nothing of ours to publish while offline; do not queue
    queueQoSZero: false,
  };
  // mqtt.js logs every packet through `debug` (off unless DEBUG is set, but each call still costs:
  // a drain spent 5% of its CPU there); with DEBUG set it keeps its own logger
  if (!process.env['DEBUG']) options.log = () => {};
  if (protocolVersion === 5) {
    options.properties = { sessionExpiryInterval: c.sessionExpiryS, receiveMaximum: c.receiveMaximum };
  }
  if (c.username !== undefined) options.username = c.username;
  if (c.password !== undefined) options.password = c.password;
  if (c.tls && tls) {
    if (tls.ca) options.ca = tls.ca;
    if (tls.cert) options.cert = tls.cert;
    if (tls.key) options.key = tls.key;
    options.rejectUnauthorized = c.tls.rejectUnauthorized;
  }
  return options;
}
