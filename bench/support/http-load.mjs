// HTTP load generator run in a worker thread (so it uses the other core): N keep-alive clients, fixed request count.
// Plain JavaScript: worker threads do not inherit tsx's loader on Node 20. Types live in run-load.ts.
//
// Before the clock starts it warms its own code against a stand-in server in this thread (never the server under
// test): a fresh worker's first requests, sent and parsed unoptimised, otherwise made up most of the p99 (every
// latency over 20 ms of a steady-state run fell in its first 500 ms; the server's own were under 16 ms throughout).
import { Agent, createServer, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

async function warmUp(spec) {
  const standIn = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('<document type="freeswitch/xml"/>'));
  });
  await new Promise((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${standIn.address().port}${new URL(spec.url).pathname}`;
  await runLoad({ ...spec, url, total: Math.min(spec.total, 3000) });
  standIn.closeAllConnections();
  await new Promise((resolve) => standIn.close(resolve));
}

/**
 * window: measure across a change. Requests keep going throughout; after `window.before` of them window.onWarm()
 * runs (the parent makes its change) and only requests that *started* at or after window.since() (the change's
 * commit, as absolute time) are counted, until `total` of them.
 */
async function runLoad(spec, shared = null, window = null) {
  const agent = shared ?? new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const counted = [];
  const target = new URL(spec.url);
  const latencies = [];
  let next = 0;
  let errors = 0;
  let bytes = 0;
  // clientHeaders: one header set per simulated user (its own token or session cookie), else spec.headers for all.
  const headersOf = (client) =>
    spec.clientHeaders?.length
      ? { ...spec.headers, ...spec.clientHeaders[client % spec.clientHeaders.length] }
      : spec.headers;
  const one = (i, client) =>
    new Promise((resolve) => {
      const body = spec.bodies[i % spec.bodies.length];
      const headers = headersOf(client);
      const started = performance.now();
      if (window && i === window.before) window.onWarm();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.method === 'GET' ? body : target.pathname,
          headers: spec.method === 'POST' ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers,
        },
        (res) => {
          let got = 0;
          res.on('data', (c) => {
            got += c.length;
          });
          res.on('end', () => {
            if (window) {
              if (performance.timeOrigin + started >= window.since())
                counted.push([started, performance.now() - started, (res.statusCode ?? 500) >= 400, got]);
              resolve();
              return;
            }
            if ((res.statusCode ?? 500) >= 400) errors++;
            latencies.push(performance.now() - started);
            bytes += got;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (spec.method === 'POST') req.end(body);
      else req.end();
    });
  const started = performance.now();
  const more = () => (window ? counted.length < spec.total : next < spec.total);
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, client) => {
      while (more()) await one(next++, client);
    }),
  );
  let seconds = (performance.now() - started) / 1000;
  if (window) {
    // The first `total` requests that started after the change, by start time.
    counted.sort((a, b) => a[0] - b[0]);
    const kept = counted.slice(0, spec.total);
    for (const [, ms, failed, got] of kept) {
      latencies.push(ms);
      if (failed) errors++;
      bytes += got;
    }
    seconds = kept.length ? (kept.at(-1)[0] + kept.at(-1)[1] - kept[0][0]) / 1000 : 0;
  }
  if (!shared) agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), bytes };
}

/**
 * spec.before: the load runs on without a pause; after that many requests the parent is told (warm) and makes its
 * change while the clients keep sending, then says when it committed (since); the figures are those of the first
 * `total` requests that started after that moment, on connections that were open and busy all along.
 */
async function runAcrossChange(spec) {
  let since = Number.POSITIVE_INFINITY;
  parentPort.on('message', (m) => {
    if (m && typeof m.since === 'number') since = m.since;
  });
  return runLoad(spec, null, {
    before: spec.before,
    onWarm: () => parentPort.postMessage({ warm: true }),
    since: () => since,
  });
}

if (parentPort && workerData) {
  warmUp(workerData)
    .then(() => (workerData.before ? runAcrossChange(workerData) : runLoad(workerData)))
    .then((r) => parentPort?.postMessage(r));
}
