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

async function runLoad(spec, shared = null) {
  const agent = shared ?? new Agent({ keepAlive: true, maxSockets: spec.concurrency });
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
          res.on('data', (c) => {
            bytes += c.length;
          });
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 400) errors++;
            latencies.push(performance.now() - started);
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
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, client) => {
      while (next < spec.total) await one(next++, client);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (!shared) agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), bytes };
}

/**
 * spec.before: that many requests on the measured connections first (not counted), then 'paused' to the parent and,
 * at its 'go', the measured run on the same keep-alive connections: the parent changes something in between, and what
 * is measured is the server's answer to the change, not the opening of new connections.
 */
async function runAfterPause(spec) {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  await runLoad({ ...spec, total: spec.before }, agent);
  const go = new Promise((resolve) => parentPort.once('message', resolve));
  parentPort.postMessage({ paused: true });
  await go;
  const r = await runLoad(spec, agent);
  agent.destroy();
  return r;
}

if (parentPort && workerData) {
  warmUp(workerData)
    .then(() => (workerData.before ? runAfterPause(workerData) : runLoad(workerData)))
    .then((r) => parentPort?.postMessage(r));
}
