// Rendering never blocks serving: while the background process pre-renders 20,000 phone files after start-up, the
// HTTP workers answer /healthz and a shared provisioning file, and TFTP transfers from the primary complete.
// Behaviour, not timing: every answer during the render is checked for its status and body, none for its latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../bench/support/anchors';
import { insertBigPbx } from '../../bench/support/big-pbx';
import { insertStormPhones } from '../../bench/support/storm-devices';
import { openDatabase } from '../../src/db';
import { tftpGet } from '../../src/servers/tftp/client';
import { type Started, startServer, stopServer } from '../helpers/start-server';

const PHONES = 10_000; // two files each (Polycom VVX 450 / Yealink T54W alternating): 20,000 files

function sentSoFar(metrics: string): number {
  const m = /^dialtone_prerendered_files_sent_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}

describe('rendering off the serving event loop (npm start, 20,000 phone files)', function () {
  this.timeout(900_000);
  let dataDir: string;
  let s: Started | null = null;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-render-off-'));
    const orm = await openDatabase({ url: null, sqlitePath: join(dataDir, 'dialtone.sqlite') });
    const pbxId = await insertBigPbx(orm, {
      context: 'storm',
      extensions: PHONES,
      ringGroups: 10,
      attendants: 2,
      numbers: 10,
      didPrefix: '212',
    });
    await insertStormPhones(orm, pbxId, PHONES);
    await orm.close();
  });
  after(async () => {
    if (s) await stopServer(s.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz, a shared file and TFTP while the background process is still rendering', async () => {
    const tftpPort = await freePort('udp');
    s = await startServer(
      { DATA_DIR: dataDir, WORKERS: '2', SEED_DEMO: 'false', TFTP_PORT: String(tftpPort) },
      400_000,
    );
    const started = s;
    await waitForLine(started, /"msg":"tftp listening"/);
    const done = () => /"msg":"provisioning: phone files pre-rendered","process":"background"/.test(started.output());
    const base = `http://127.0.0.1:${started.port}`;
    let answeredMidRender = 0;
    // Bounded: stops after 20 rounds answered mid-render, when the render ends, or after 20,000 rounds.
    for (let i = 0; i < 20_000 && !done() && answeredMidRender < 20; i++) {
      const health = await fetch(`${base}/healthz`);
      expect(health.status).to.equal(200);
      await health.arrayBuffer();
      const shared = await fetch(`${base}/provisioning/y000000000096.cfg`, {
        headers: { 'User-Agent': 'Yealink SIP-T54W 96.86.0.100' },
      });
      expect(shared.status).to.equal(200);
      expect(await shared.text()).to.include('#!version:1.0.0.1');
      const bootstrap = await tftpGet({
        host: '127.0.0.1',
        port: tftpPort,
        filename: '000000000000.cfg',
        retryMs: 2000,
      });
      expect(bootstrap.bytes).to.be.greaterThan(0);
      // Counted only once the background process has sent files and has not finished: the render was in progress.
      const metrics = await (await fetch(`${base}/metrics`)).text();
      if (sentSoFar(metrics) > 0 && sentSoFar(metrics) < 2 * PHONES && !done()) {
        answeredMidRender++;
      }
    }
    expect(answeredMidRender, 'rounds answered while files were being rendered').to.be.greaterThan(0);
  });
});

async function waitForLine(s: Started, re: RegExp): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const line = s
      .output()
      .split('\n')
      .find((l) => re.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no line ${re}:\n${s.output().slice(-2000)}`);
}
