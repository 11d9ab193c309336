// Mocha global fixture: a throwaway PostgreSQL for the domain/service tests (TEST_DATABASE_URL wins when set).
// Uses the Debian server binaries that .ci/run installs; without them the PostgreSQL half of the suite says why and skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dataDir: string | null = null;
let binDir: string | null = null;

function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return null;
}

function asPostgres(cmd: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const r = isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
}

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  binDir = findPgBin();
  if (!binDir) {
    console.warn('[test] PostgreSQL server binaries not found: PostgreSQL tests will be skipped (CI installs them).');
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), 'dialtone-pg-'));
  chmodSync(dataDir, 0o777);
  const port = 20000 + Math.floor(Math.random() * 20000);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dataDir]);
  asPostgres(join(binDir, 'initdb'), ['-D', join(dataDir, 'db'), '-U', 'dialtone', '--auth=trust', '-E', 'UTF8']);
  asPostgres(join(binDir, 'pg_ctl'), [
    '-D',
    join(dataDir, 'db'),
    '-o',
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    '-l',
    join(dataDir, 'log'),
    'start',
  ]);
  process.env.TEST_DATABASE_URL = `postgres://dialtone@127.0.0.1:${port}/postgres`;
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (!dataDir || !binDir) return;
  try {
    asPostgres(join(binDir, 'pg_ctl'), ['-D', join(dataDir, 'db'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
