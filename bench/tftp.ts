// TFTP server benchmark: 200 concurrent 64 kB config downloads and one 40 MB firmware download (blksize 1428) on 127.0.0.1,
// then the table's row: the same 40 MB with curl from Dialtone and from tftpd-hpa (same file, same client, alternating
// rounds), at 1428 and 512-byte blocks. BENCH_TINY=1: 4 MB and 20 configs.
import { execFile, fork, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tftpGet } from '../src/servers/tftp/client';
import { bufferFile, diskFile, type TftpFile } from '../src/servers/tftp/file-source';
import { createTftpServer } from '../src/servers/tftp/server';
import { curlTftp, startTftpdHpa } from './support/anchors';
import { fmt, reportRow, TINY, verdictOf } from './support/report';

const FIRMWARE_MB = TINY ? 4 : 40;
const CONFIGS = TINY ? 20 : 200;

interface Job {
  readonly port: number;
  readonly filename: string;
  readonly blksize: number | undefined;
  readonly count: number;
}
interface JobResult {
  readonly ms: number;
  readonly bytes: number;
  readonly digests: string[];
}

const CHILD_ENV = 'DIALTONE_TFTP_BENCH_JOB';
const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const mib = (bytes: number) => bytes / (1024 * 1024);

/** Runs `count` downloads at once with the Node client, hashing each so the check costs the client, not the server. */
async function download(job: Job): Promise<JobResult> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: job.count }, async () => {
      const hash = createHash('sha256');
      const r = await tftpGet({
        host: '127.0.0.1',
        port: job.port,
        filename: job.filename,
        blksize: job.blksize,
        tsize: true,
        retryMs: 2000,
        onData: (chunk) => hash.update(chunk),
      });
      return { bytes: r.bytes, digest: hash.digest('hex') };
    }),
  );
  return {
    ms: performance.now() - started,
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    digests: results.map((r) => r.digest),
  };
}

/** The same, in a child process: client and server then run on separate cores, as a phone and a server would. */
function downloadInChild(job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      env: { ...process.env, [CHILD_ENV]: JSON.stringify(job) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: JobResult | undefined;
    child.once('message', (m) => {
      result = m as JobResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`bench client exited with ${code}`))));
  });
}

const hasCurl = () => spawnSync('curl', ['--version']).status === 0;

/** curl as an independent client (its CPU is not in this process either). */
function downloadWithCurl(port: number, filename: string, blksize: number, out: string): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = ['-s', '-o', out, '--tftp-blksize', String(blksize), `tftp://127.0.0.1:${port}/${filename}`];
    execFile('curl', args, async (err) => {
      const ms = performance.now() - started;
      if (err) return reject(err);
      const data = await readFile(out);
      resolve({ ms, bytes: data.length, digests: [sha256(data)] });
    });
  });
}

/**
 * Runs a job and reports wall-clock rates. With the client in another process, this process's CPU time is the
 * server's alone; bytes per server-CPU-second is the figure that stays meaningful on a busy machine.
 */
async function measure(label: string, job: () => Promise<JobResult>, expected: string, transfers: number) {
  const cpuBefore = process.cpuUsage();
  const r = await job();
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuS = (cpu.user + cpu.system) / 1e6;
  const s = r.ms / 1000;
  const intact = r.digests.length === transfers && r.digests.every((d) => d === expected);
  const rate = transfers > 1 ? `${(transfers / s).toFixed(0)} transfers/s, ` : '';
  console.log(
    `tftp: ${label}: ${s.toFixed(2)} s, ${rate}${(mib(r.bytes) / s).toFixed(1)} MB/s` +
      `; this process used ${serverCpuS.toFixed(2)} s CPU (${(mib(r.bytes) / serverCpuS).toFixed(1)} MB per CPU-second)` +
      (intact ? '' : ' (CONTENT MISMATCH)'),
  );
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-tftp-bench-'));
  const config = randomBytes(64 * 1024);
  const firmware = randomBytes(FIRMWARE_MB * 1024 * 1024);
  const firmwarePath = join(dir, 'firmware.bin');
  await writeFile(firmwarePath, firmware);
  let retransmits = 0;
  let failed = 0;
  const server = await createTftpServer({
    address: '127.0.0.1',
    port: 0,
    maxTransfersPerAddress: 1024,
    source: {
      async open(filename): Promise<TftpFile | null> {
        if (filename === 'config.cfg') return bufferFile(config);
        if (filename === 'firmware.bin') return diskFile(firmwarePath);
        return null;
      },
    },
    logger: (e) => {
      if (e.event !== 'transfer-end') return;
      retransmits += e.retransmits;
      if (!e.ok) failed++;
    },
  });
  const { port } = server.address();
  const configSum = sha256(config);
  const firmwareSum = sha256(firmware);
  const configs = (blksize: number | undefined) => ({ port, filename: 'config.cfg', blksize, count: CONFIGS });
  const fw = { port, filename: 'firmware.bin', blksize: 1428, count: 1 };
  try {
    await measure(
      `${CONFIGS} concurrent 64 kB configs, 512-byte blocks`,
      () => downloadInChild(configs(undefined)),
      configSum,
      CONFIGS,
    );
    await measure(
      `${CONFIGS} concurrent 64 kB configs, blksize 1428`,
      () => downloadInChild(configs(1428)),
      configSum,
      CONFIGS,
    );
    await measure(
      `${FIRMWARE_MB} MB firmware from disk, blksize 1428, Node client process`,
      () => downloadInChild(fw),
      firmwareSum,
      1,
    );
    await measure(
      `${FIRMWARE_MB} MB firmware from disk, blksize 1428, Node client in-process`,
      () => download(fw),
      firmwareSum,
      1,
    );
    if (hasCurl()) {
      const curl = () => downloadWithCurl(port, 'firmware.bin', 1428, join(dir, 'curl.out'));
      await measure(`${FIRMWARE_MB} MB firmware from disk, blksize 1428, curl`, curl, firmwareSum, 1);
    } else console.log('tftp: curl not installed, curl figure skipped');
    console.log(`tftp: server retransmissions ${retransmits}, failed transfers ${failed}`);
    await anchorRows(dir, port, firmwareSum);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The table's rows: curl from Dialtone and from tftpd-hpa, the same file, alternating rounds; the best of each. */
async function anchorRows(dir: string, port: number, expected: string): Promise<void> {
  if (!hasCurl()) {
    console.log('tftp: curl not installed, no table row');
    return;
  }
  const tftpd = await startTftpdHpa(dir);
  try {
    for (const blksize of [1428, 512]) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const once = async (p: number, into: number[], who: string) => {
        const out = join(dir, `${who}.out`);
        const s = await curlTftp(p, 'firmware.bin', blksize, out);
        if (sha256(await readFile(out)) !== expected) throw new Error(`${who}: content mismatch`);
        await rm(out, { force: true });
        into.push(FIRMWARE_MB / s);
      };
      for (let round = 0; round < 2; round++) {
        await once(port, ours, 'dialtone');
        if (tftpd) await once(tftpd.port, theirs, 'tftpd-hpa');
      }
      const d = Math.max(...ours);
      const a = theirs.length ? Math.max(...theirs) : null;
      console.log(
        `tftp: curl, ${FIRMWARE_MB} MB, blksize ${blksize}: Dialtone ${ours.map((r) => r.toFixed(1)).join(', ')} MB/s; tftpd-hpa ${theirs.map((r) => r.toFixed(1)).join(', ') || 'not installed'}`,
      );
      reportRow({
        order: blksize === 1428 ? 3 : 3.1,
        measure: `TFTP ${FIRMWARE_MB} MB, blksize ${blksize} (curl)`,
        dialtone: fmt.mbs(d),
        anchor: a === null ? 'tftpd-hpa not installed' : `tftpd-hpa ${fmt.mbs(a)}`,
        ratio: a === null ? null : d / a,
        target: '>= tftpd-hpa',
        verdict: verdictOf(a === null ? null : d >= a),
      });
    }
  } finally {
    await tftpd?.stop();
  }
}

// Entry point of the child process started by downloadInChild.
const childJob = process.env[CHILD_ENV];
if (childJob && process.send) {
  const send = process.send.bind(process);
  download(JSON.parse(childJob) as Job).then(
    (result) => send(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
