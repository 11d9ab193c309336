// `npm start` as a cluster: WORKERS HTTP workers share the port, a guesser is throttled after the same number of
// misses whichever worker answers, /metrics sums every process, pre-rendering runs in the low-priority background
// process, a worker that dies is replaced, and SIGTERM stops every process.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Started, startServer, stopServer } from '../helpers/start-server';

/** One GET on a connection of its own (closed after), so consecutive tries are accepted anew. */
function getOnce(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    // A connection handed to a worker at the moment it is killed is lost with it: not waited for forever.
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.end();
  });
}

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.trim().split('\n')) {
    if (line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cluster (npm start with WORKERS=2)', function () {
  this.timeout(240_000);
  let dataDir: string;
  let s: Started;
  let pids: Record<string, number>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-cluster-'));
    // Round-robin hand-over makes consecutive connections alternate between the two workers, deterministically.
    s = await startServer({ DATA_DIR: dataDir, WORKERS: '2', SEED_DEMO: 'true', NODE_CLUSTER_SCHED_POLICY: 'rr' });
    pids = s.listening.pids as Record<string, number>;
  });
  after(async () => {
    if (s) await stopServer(s.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts two HTTP workers and a background process at the lowest priority that pre-renders phone files', async () => {
    expect(Object.keys(pids).sort()).to.deep.equal(['background', 'http 1', 'http 2', 'primary']);
    expect(getPriority(pids.background as number)).to.equal(19);
    expect(getPriority(pids['http 1'] as number)).to.equal(0);
    for (
      let i = 0;
      i < 300 && !/"msg":"provisioning: phone files pre-rendered","process":"background"/.test(s.output());
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(s.output()).to.match(/"msg":"provisioning: phone files pre-rendered","process":"background","files":\d+/);
    expect((await getOnce(s.port, '/healthz')).status).to.equal(200);
  });

  it('throttles a MAC guesser after 20 misses although the workers take turns answering', async () => {
    const before = samples((await getOnce(s.port, '/metrics')).body);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await getOnce(s.port, `/provisioning/0004f2${(0xa00000 + i).toString(16)}.cfg`)).status);
    expect(statuses.slice(0, 20)).to.deep.equal(new Array(20).fill(401));
    expect(statuses[20]).to.equal(429);
    const after = samples((await getOnce(s.port, '/metrics')).body);
    const answered = (w: string) =>
      (after.get(`dialtone_process_http_requests_total{process="${w}"}`) ?? 0) -
      (before.get(`dialtone_process_http_requests_total{process="${w}"}`) ?? 0);
    // Both workers answered some of the guesses (each /metrics request counts once too).
    expect(answered('worker-1'), 'worker-1').to.be.at.least(5);
    expect(answered('worker-2'), 'worker-2').to.be.at.least(5);
    expect(after.get('dialtone_http_requests_total{area="provisioning",code="4xx"}')).to.be.at.least(21);
    expect(
      [...after.keys()].some((k) => k.startsWith('dialtone_event_loop_delay_seconds_bucket{process="background"')),
    ).to.equal(true);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const victim = pids['http 1'] as number;
    process.kill(victim, 'SIGKILL');
    // The other worker answers meanwhile (one connection the dying worker had already taken may be lost with it).
    let ok = 0;
    for (let i = 0; i < 10; i++) if ((await getOnce(s.port, '/healthz').catch(() => null))?.status === 200) ok++;
    expect(ok).to.be.at.least(9);
    let replaced = false;
    for (let i = 0; i < 150 && !replaced; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const m = samples((await getOnce(s.port, '/metrics').catch(() => ({ body: '' }))).body);
      replaced = m.has('dialtone_process_http_requests_total{process="worker-1"}');
    }
    expect(replaced, s.output()).to.equal(true);
    expect(s.output()).to.contain('"msg":"a cluster process exited; starting another","process":"http 1"');
  });

  it('stops every process on SIGTERM', async () => {
    const all = Object.values(pids).filter((p) => p !== pids['http 1']);
    await stopServer(s.child);
    for (let i = 0; i < 100 && all.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(all.filter(alive)).to.deep.equal([]);
  });
});
