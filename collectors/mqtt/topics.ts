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

export interface TopicRouter {
  /** the filters to subscribe to (with `$share/<group>/` when a group is set) */
  subscriptions(): string[];
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
  const filters = compiled.map((c) => c.levels.map((l, i) => (i === c.deviceIndex ? '+' : l)).join('/'));
  return {
    subscriptions() {
      return options.sharedGroup ? filters.map((f) => `$share/${options.sharedGroup}/${f}`) : filters;
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
