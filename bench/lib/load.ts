// A small closed-loop HTTP load generator: `concurrency` workers each send requests back to back.
export type LoadResult = { requests: number; seconds: number; rps: number; p50: number; p90: number; p99: number; statuses: Record<number, number> };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function load(
  request: () => Promise<Response>,
  opts: { requests: number; concurrency: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < opts.requests) {
      issued++;
      const t0 = performance.now();
      const res = await request();
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    statuses,
  };
}
