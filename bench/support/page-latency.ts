// Latency of logged-in pages under N concurrent users: each simulated user authenticates once (an API token, or — for
// the portal — a session cookie), then all of them request the given paths in turn. Prints p50/p95/p99 per page set.
import { describeLoad, type LoadResult, runLoadInWorker } from './run-load';

export interface PageSet {
  /** Printed with the figures, e.g. "GET /api/v1/pbxs/big/extensions". */
  label: string;
  /** Paths (with query) cycled through by the clients; several spread the load over pages of a long list. */
  paths: string[];
}

export interface PageLatencyOptions {
  /** http://127.0.0.1:PORT of the server under test. */
  baseUrl: string;
  pages: PageSet[];
  /** Concurrent users (keep-alive clients). */
  users: number;
  /** Requests per page set. */
  requests: number;
  /** Headers that make user `i` logged in: `{ authorization: 'Bearer …' }` or `{ cookie: 'session=…' }`. */
  authenticate(user: number): Promise<Record<string, string>>;
}

export async function measurePages(opts: PageLatencyOptions): Promise<Array<{ label: string; result: LoadResult }>> {
  const clientHeaders: Array<Record<string, string>> = [];
  for (let i = 0; i < opts.users; i++) clientHeaders.push(await opts.authenticate(i));
  const out: Array<{ label: string; result: LoadResult }> = [];
  for (const page of opts.pages) {
    const result = await runLoadInWorker({
      url: `${opts.baseUrl}${page.paths[0]}`,
      concurrency: opts.users,
      total: opts.requests,
      bodies: page.paths,
      method: 'GET',
      headers: { accept: 'application/json, text/html' },
      clientHeaders,
    });
    console.log(`${describeLoad(page.label, result)}; p95 ${result.p95.toFixed(2)} ms`);
    out.push({ label: page.label, result });
  }
  return out;
}
