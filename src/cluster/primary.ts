// The cluster's primary: migrates and seeds the database, starts WORKERS HTTP workers and one background process
// (restarting any that dies), passes messages between them (hub.ts), and serves TFTP. It never answers HTTP and never
// renders in bulk, so its event loop stays free for TFTP's lock-step round trips.
//
// Start-up order, for the time to the first answer: the first HTTP worker is forked at once and loads its code while
// this process opens, migrates and seeds the database (the worker opens it only when told it is ready, db? / db-ready);
// the other workers and the background process start once the first worker listens (on two cores, three processes
// starting together slowed the first one by a third). Until then this process loads nothing but the cluster code.
//
// Connections are accepted by the workers themselves from the shared listening socket (SCHED_NONE): libuv accepts one
// connection per event-loop turn, so a busy process takes in new connections slowly; with round-robin the primary
// accepts, but hands each connection over only after the previous one was taken by the worker, which is the same
// one-per-turn limit plus an IPC round trip per connection. Set NODE_CLUSTER_SCHED_POLICY=rr to compare.
import cluster, { type Worker } from 'node:cluster';
import { setPriority } from 'node:os';
import type { Config } from '../config';
import { MissLimiter } from '../provisioning/miss-limiter';
import { Metrics } from '../servers/metrics';
import { Hub, type Peer } from './hub';
import type { Message } from './ipc';
import type { PrimaryServices } from './primary-services';
import { processLogger } from './process-log';

/** How long children get to finish in-flight work on shutdown before they are killed. */
const STOP_GRACE_MS = 10_000;

export async function runPrimary(config: Config): Promise<void> {
  const log = processLogger(config);
  const metrics = new Metrics('primary');
  const hub = new Hub(new MissLimiter({ allow: config.provisioningAllow }), metrics);

  let stopping = false;
  let own: PrimaryServices | null = null;
  // Children by slot ("http 1", "background"): a slot's process that dies is replaced, with a growing pause if it
  // keeps dying young. One that dies before the cluster ever served (a port in use) stops everything instead.
  let serving = false;
  const slots = new Map<string, { worker: Worker; started: number; failures: number }>();
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    const children = [...slots.values()].map((s) => s.worker).filter((w) => !w.isDead());
    const exited = Promise.all(children.map((w) => new Promise((resolve) => w.process.once('exit', resolve))));
    for (const w of children) if (w.isConnected()) w.send({ t: 'stop' } satisfies Message);
    const grace = setTimeout(() => {
      for (const w of children) if (!w.isDead()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(grace);
    await own?.close();
    process.exit(code);
  };
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  // Rendered files hold Buffers: the advanced serialization carries them as bytes, not JSON arrays of numbers.
  cluster.setupPrimary({ serialization: 'advanced' });
  const fork = (role: Peer['role'], index: number, failures = 0) => {
    const slot = role === 'http' ? `http ${index}` : role;
    const worker = cluster.fork({ DIALTONE_ROLE: role, DIALTONE_WORKER: String(index) });
    // Lowest priority from its first instruction (it lowers itself too): its start-up must not slow the workers'.
    if (role === 'background' && worker.process.pid !== undefined)
      try {
        setPriority(worker.process.pid, 19);
      } catch {
        // the background process logs it if it cannot lower its own priority
      }
    const peer: Peer = {
      id: worker.id,
      role,
      send: (m: Message) => {
        if (worker.isConnected()) worker.send(m);
      },
    };
    hub.add(peer);
    slots.set(slot, { worker, started: Date.now(), failures });
    worker.on('message', (m) => hub.receive(peer, m));
    worker.on('exit', (code, signal) => {
      hub.remove(worker.id);
      if (stopping || slots.get(slot)?.worker !== worker) return;
      if (!serving) {
        log('error', 'a cluster process failed to start; stopping', { process: slot, code, signal });
        void stop('start-up failure', 1);
        return;
      }
      const young = Date.now() - (slots.get(slot)?.started ?? 0) < 10_000;
      const next = young ? failures + 1 : 0;
      const pause = young ? Math.min(30_000, 1000 * 2 ** failures) : 0;
      log('error', 'a cluster process exited; starting another', { process: slot, code, signal, pauseMs: pause });
      setTimeout(() => {
        if (!stopping) fork(role, index, next);
      }, pause).unref();
    });
  };
  cluster.on('listening', (_worker, address) => {
    if (serving) return;
    serving = true;
    for (let i = 2; i <= config.workers; i++) fork('http', i);
    // The background process (pre-rendering, re-sync, jobs) starts once the first worker serves: on a 2-core machine
    // its start-up otherwise took the CPU the HTTP workers needed to answer their first request.
    fork('background', 0);
    log('info', 'dialtone listening', {
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address.port}`,
      database: config.databaseUrl ? 'postgresql' : 'sqlite',
      workers: config.workers,
      pids: Object.fromEntries([
        ['primary', process.pid],
        ...[...slots].map(([slot, s]) => [slot, s.worker.process.pid]),
      ]),
    });
  });
  fork('http', 1);
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  metrics.sampleLoopDelay();

  const { startPrimaryServices } = await import('./primary-services');
  own = await startPrimaryServices(config, log, {
    limiter: hub.limiter,
    metrics,
    databaseReady: () => hub.databaseReady(),
  });
}
