/**
 * InfluxQL over HTTP for the benchmarks: their baselines and checks talk to InfluxDB directly,
 * not through the store under test.
 */
export async function influxQuery(url: string, q: string, db?: string): Promise<unknown> {
  const params = new URLSearchParams({ q, epoch: 'ms' });
  if (db) params.set('db', db);
  const res = await fetch(`${url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`InfluxQL ${q}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** count(field) over the raw retention policy; 0 when the measurement holds nothing */
export async function countPoints(url: string, db: string, measurement: string, field: string): Promise<number> {
  const body = (await influxQuery(url, `SELECT count("${field}") FROM "raw"."${measurement}"`, db)) as {
    results: Array<{ series?: Array<{ values: number[][] }> }>;
  };
  return body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}
