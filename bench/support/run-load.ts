// Starts the load generator in a worker thread and waits for its figures.
import { Worker } from 'node:worker_threads';
export interface LoadSpec {
  url: string;
  concurrency: number;
  total: number;
  /** Request bodies cycled through (POST), or paths (GET). */
  bodies: string[];
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** Per simulated client (client i uses entry i mod n), merged over `headers`: each user's own token or cookie. */
  clientHeaders?: Array<Record<string, string>>;
  /**
   * Measure across a change: after this many requests `between` runs while the load goes on, and the figures are
   * those of the first `total` requests that started after it resolved (the change committed).
   */
  before?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
}

export function runLoadInWorker(spec: LoadSpec, between?: () => Promise<void>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.mjs', import.meta.url), { workerData: spec });
    worker.on('message', (m: LoadResult | { warm: true }) => {
      if ('warm' in m) {
        (between ?? (async () => {}))().then(
          () => worker.postMessage({ since: performance.timeOrigin + performance.now() }),
          reject,
        );
        return;
      }
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export function describeLoad(label: string, r: LoadResult): string {
  return `${label}: ${r.requests} requests in ${r.seconds.toFixed(2)} s = ${Math.round(r.requests / r.seconds)} req/s; p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; errors ${r.errors}; ${(r.bytes / 1024 / 1024).toFixed(1)} MB`;
}
