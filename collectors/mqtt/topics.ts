/**
 * Topic templates (`{prefix}/{device}/telemetry`) turned into a subscription filter and a matcher
 * that pulls the device id out of a received topic. The device id always comes from the topic, never
 * from the payload, so an AP cannot report for another.
 */
export type TopicKind = 'telemetry' | 'status';

export interface TopicMatch {
  kind: TopicKind;
  device: string;
}

/** one filter to subscribe to, with the QoS asked for */
export interface Subscription {
  filter: string;
  qos: 0 | 1;
}

export interface TopicRouter {
  /**
   * What to subscribe to. Without a group: every filter at QoS 1 (in the persistent session).
   * With a group: telemetry as `$share/<group>/…` at QoS 1, so the members split it; statuses
   * outside the group at QoS 0, so every member hears every AP's status (statusSubscription).
   */
  subscriptions(): Subscription[];
  /**
   * Filters that earlier versions subscribed to and that a persistent session may still hold:
   * unsubscribed on connect (the status filter in the group, before statusSubscription).
   */
  retired?(): string[];
  match(topic: string): TopicMatch | undefined;
}

interface Compiled {
  kind: TopicKind;
  levels: string[];
  deviceIndex: number;
}

function compile(kind: TopicKind, template: string, prefix: string): Compiled {
  const levels = template.replaceAll('{prefix}', prefix).split('/');
  const deviceIndex = levels.indexOf('{device}');
  if (deviceIndex < 0) throw new Error(`${kind} topic template "${template}" has no {device} level`);
  return { kind, levels, deviceIndex };
}

/** A stream of messages (telemetry) at QoS 1: split among the group's members when there is one. */
export function sharedSubscription(filter: string, sharedGroup: string | undefined): Subscription {
  return { filter: sharedGroup ? `$share/${sharedGroup}/${filter}` : filter, qos: 1 };
}

/**
 * The APs' statuses. Alone, a collector takes them at QoS 1 in its session. In a group each
 * member subscribes to them itself, at QoS 0 (README "One region, many machines"):
 * - shared, an AP's `offline` and its later `online` could go to two members: each member's
 *   tracker would see half of the AP's story, and the one that saw only the `offline` would
 *   restate it down every interval while the AP is up;
 * - a status is stamped when it is received: Mosquitto keeps a dead member's share of a shared
 *   stream (and a persistent session's QoS 1 queue) until that member is back, which would stamp
 *   old statuses at its restart, after newer ones (7 of 240 APs flapped so in
 *   tests/integration/cluster-mqtt-group.test.ts before this);
 * - at QoS 0 nothing is queued for a member away: back, it gets each AP's retained status (the
 *   current one) on its SUBSCRIBE, while the members alive wrote the changes as they came.
 */
export function statusSubscription(filter: string, sharedGroup: string | undefined): Subscription {
  return { filter, qos: sharedGroup ? 0 : 1 };
}

export function createTopicRouter(options: {
  prefix: string;
  telemetryTopic: string;
  statusTopic: string;
  sharedGroup?: string | undefined;
}): TopicRouter {
  const compiled = [
    compile('telemetry', options.telemetryTopic, options.prefix),
    compile('status', options.statusTopic, options.prefix),
  ];
  const filters = compiled.map((c) => ({ kind: c.kind, filter: c.levels.map((l, i) => (i === c.deviceIndex ? '+' : l)).join('/') }));
  return {
    subscriptions() {
      return filters.map(({ kind, filter }) => (kind === 'status' ? statusSubscription(filter, options.sharedGroup) : sharedSubscription(filter, options.sharedGroup)));
    },
    retired() {
      return options.sharedGroup ? filters.filter((f) => f.kind === 'status').map((f) => `$share/${options.sharedGroup}/${f.filter}`) : [];
    },
    match(topic) {
      const parts = topic.split('/');
      for (const c of compiled) {
        if (parts.length !== c.levels.length) continue;
        let ok = true;
        for (let i = 0; i < parts.length && ok; i++) {
          if (i !== c.deviceIndex && parts[i] !== c.levels[i]) ok = false;
        }
        const device = parts[c.deviceIndex];
        if (ok && device) return { kind: c.kind, device };
      }
      return undefined;
    },
  };
}
