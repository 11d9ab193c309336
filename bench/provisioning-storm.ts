// Boot-storm benchmark: a PBX of 10,000 extensions and 10,000 phones (Polycom VVX 450 / Yealink T54W alternating) all
// booting at once against the real HTTP app: each phone fetches its whole boot sequence with digest auth, 200 keep-alive
// clients in a child process (the load generator gets its own process, so the two share the 2 cores as the OS decides).
//
// The server is the product's: startProvisioning's listener in front of the portal app, as main.ts wires it. Storms:
// first boot right after start-up (every file rendered on demand), second boot, after a PBX change no phone shows
// (files re-checked, not re-rendered), and first boot on a restarted server that pre-rendered at start-up as main.ts
// does; some with a leaner load generator (raw keep-alive sockets instead of node:http's client, which costs as much
// CPU as the server on these 2 cores). The load generator warms its own code against a stand-in server in its process
// first, and the raw one opens its 200 connections before the clock starts (see boot-storm-client.ts).
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db';
import { createLogger } from '../src/log';
import { createApp } from '../src/portal/app';
import { startProvisioning } from '../src/servers/provisioning/start';
import { createServices } from '../src/services';
import { SYSTEM } from '../src/services/actor';
import type { LiveProvisioningStore } from '../src/services/live-provisioning-store';
import { insertBigPbx } from './support/big-pbx';
import type { StormJob, StormResult } from './support/boot-storm-client';
import { insertStormPhones } from './support/storm-devices';

/** STORM_PHONES=3000 gives a quicker run for profiling; the figures the issue asks for are at 10,000. */
const PHONES = Number(process.env.STORM_PHONES ?? 10_000);
const CONCURRENCY = 200;

function runClient(job: StormJob): Promise<StormResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./support/boot-storm-client.ts', import.meta.url)), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, DIALTONE_BOOT_STORM_CLIENT: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: StormResult | undefined;
    child.once('message', (m) => {
      result = m as StormResult;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`boot-storm client exited with ${code}`)),
    );
    child.send(job);
  });
}

const rate = (r: StormResult) => r.requests / (r.elapsedMs / 1000);

function report(label: string, r: StormResult, cpuMs: number): void {
  console.log(
    `provisioning-storm: ${label}:\n` +
      `  ${r.requests} responses in ${(r.elapsedMs / 1000).toFixed(2)} s = ${rate(r).toFixed(0)}/s; ` +
      `latency p50 ${r.p50.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms; ` +
      `errors ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ''}; ${(r.bytes / 1024 / 1024).toFixed(1)} MB\n` +
      `  statuses ${JSON.stringify(r.statuses)}; 401 round trips ${r.challenges}; ` +
      `server CPU ${(cpuMs / 1000).toFixed(2)} s = ${((cpuMs * 1000) / Math.max(1, r.requests)).toFixed(0)} µs/response; ` +
      `load generator CPU ${(r.clientCpuMs / 1000).toFixed(2)} s = ${((r.clientCpuMs * 1000) / Math.max(1, r.requests)).toFixed(0)} µs/request`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-storm-'));
  const orm = await openDatabase({ url: null, sqlitePath: join(dir, 'bench.sqlite') });
  const devnull = createWriteStream('/dev/null');
  const servers: Server[] = [];
  const stores: LiveProvisioningStore[] = [];
  try {
    const t = performance.now();
    const pbxId = await insertBigPbx(orm, {
      context: 'storm',
      extensions: PHONES,
      ringGroups: 100,
      attendants: 20,
      numbers: 100,
      didPrefix: '212',
    });
    const sipPasswords = await insertStormPhones(orm, pbxId, PHONES);
    console.log(
      `provisioning-storm: seeded ${PHONES} extensions and ${PHONES} phones in ${(performance.now() - t).toFixed(0)} ms`,
    );

    // Logs are formatted as in production but written to /dev/null.
    const log = createLogger('info', (line) => devnull.write(`${line}\n`));
    const config = { publicUrl: 'http://127.0.0.1:8080', dataDir: dir };
    /** A server as main.ts wires it: provisioning's listener in front of the portal app. */
    const serve = async () => {
      const provisioning = startProvisioning(orm, config, log);
      const services = createServices(orm, { profileIds: provisioning.profileIds });
      const app = createApp(services, { log: (msg, err) => log('error', msg, { err }) });
      const server = createServer(provisioning.listener(app));
      servers.push(server);
      stores.push(provisioning.store);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const stop = async () => {
        await provisioning.store.flushSeen();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        servers.splice(servers.indexOf(server), 1);
        stores.splice(stores.indexOf(provisioning.store), 1);
      };
      return { provisioning, services, port: (server.address() as { port: number }).port, stop };
    };
    const a = await serve();

    const storm = async (
      label: string,
      port: number,
      count: number,
      concurrency: number,
      client: StormJob['client'] = 'node-http',
    ) => {
      const cpu = process.cpuUsage();
      const result = await runClient({
        port,
        first: 0,
        count,
        concurrency,
        client,
        sipPasswords: sipPasswords.slice(0, count),
      });
      const used = process.cpuUsage(cpu);
      report(label, result, (used.user + used.system) / 1000);
      return result;
    };
    const all = `${PHONES} phones, ${CONCURRENCY} clients`;
    const raw = 'load generator on raw keep-alive sockets instead of node:http';
    const cold = await storm(
      `${all}, first boot right after start-up, nothing rendered yet`,
      a.port,
      PHONES,
      CONCURRENCY,
    );
    const warm = await storm(`${all}, second boot`, a.port, PHONES, CONCURRENCY);
    const lean = await storm(`${all}, second boot, ${raw}`, a.port, PHONES, CONCURRENCY, 'raw');
    // A change no phone shows (a new number routed to hang up): each file's phone config is built and compared again.
    await a.services.objects.create(SYSTEM, pbxId, 'numbers', { number: '2129990000', routeTo: { kind: 'hangup' } });
    const changed = await storm(`${all}, after a PBX change no phone shows`, a.port, PHONES, CONCURRENCY);

    // A restart: the first server goes away, a new one on the same database pre-renders (as main.ts does in the
    // background) before the storm.
    await a.stop();
    const b = await serve();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const files = await b.provisioning.warmAll();
    const warmCpu = process.cpuUsage(cpu0);
    console.log(
      `provisioning-storm: start-up pre-rendering: ${files} phone files in ${((performance.now() - t0) / 1000).toFixed(2)} s ` +
        `(CPU ${((warmCpu.user + warmCpu.system) / 1e6).toFixed(2)} s), requests served meanwhile`,
    );
    const prewarmed = await storm(`${all}, first boot after start-up pre-rendering`, b.port, PHONES, CONCURRENCY);
    const prewarmedLean = await storm(
      `${all}, first boot after start-up pre-rendering, ${raw}`,
      b.port,
      PHONES,
      CONCURRENCY,
      'raw',
    );

    const verdict = (name: string, r: StormResult) =>
      `  ${name}: ${rate(r).toFixed(0)}/s (${rate(r) >= 8000 ? 'meets' : 'misses'} 8,000/s), ` +
      `p99 ${r.p99.toFixed(1)} ms (${r.p99 < 50 ? 'meets' : 'misses'} 50 ms), errors ${r.errors}`;
    const section = (title: string, rows: Array<readonly [string, StormResult]>) => {
      console.log(`provisioning-storm: ${title}`);
      for (const [name, r] of rows) console.log(verdict(name, r));
    };
    section(
      'targets (>= 8,000 responses/s, p99 < 50 ms, no errors) where the issue compares with nginx serving pre-rendered files, lean generator:',
      [
        ['first boot after start-up pre-rendering', prewarmedLean],
        ['second boot', lean],
      ],
    );
    section(
      "the same with node:http's client as load generator (70-100 µs of CPU per request on the same 2 cores, about as much as the server):",
      [
        ['first boot after start-up pre-rendering', prewarmed],
        ['second boot', warm],
      ],
    );
    section('storms that find files to render or re-check (node:http generator):', [
      ['first boot right after start-up, nothing rendered', cold],
      ['after a PBX change no phone shows, before the re-render pass', changed],
    ]);
    console.log(
      'provisioning-storm: load generator: a child process (node:http Agent keepAlive maxSockets 200, or raw sockets)',
    );
    for (const store of stores) await store.flushSeen();
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await orm.close(true);
    devnull.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
