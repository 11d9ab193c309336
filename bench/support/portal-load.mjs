// Portal load generator run in a worker thread (so it uses the other core): one keep-alive client per logged-in
// session (its own cookie), GET paths cycled through, a fixed request count; p50 and p95 of the latencies.
// Plain JavaScript: worker threads do not inherit tsx's loader on Node 20. Types live in bench/portal.ts.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

async function runLoad(spec) {
  const target = new URL(spec.url);
  const latencies = [];
  let next = 0;
  let errors = 0;
  const one = (agent, cookie, path) =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request(
        { agent, host: target.hostname, port: target.port, method: 'GET', path, headers: { cookie, ...spec.headers } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const client = async (cookie) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (next < spec.total) {
      const i = next++;
      await one(agent, cookie, spec.paths[i % spec.paths.length]);
    }
    agent.destroy();
  };
  const t0 = performance.now();
  await Promise.all(spec.cookies.map(client));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * q) - 1)] ?? 0;
  return { requests: latencies.length, errors, seconds, p50: at(0.5), p95: at(0.95) };
}

parentPort.postMessage(await runLoad(workerData));
