/** What every benchmark module in tests/bench/ (`*.bench.ts`) exports as default. */
export interface Benchmark {
  name: string;
  /** one line: what is measured against what */
  description: string;
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}

export interface BenchContext {
  influxUrl: string;
  /** the benchmark should stop starting new runs after this many ms */
  budgetMs: number;
  log(message: string): void;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
