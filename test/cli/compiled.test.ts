// The compiled JavaScript (scripts/dist.mjs): `dialtone` and `npm start` run it when it is fresh, and the TypeScript
// through tsx when it is missing or older than src/; `dialtone --help` loads no database or service code either way.
// The build goes to a folder of this test's own (DIALTONE_DIST_DIR), never the working tree's dist/.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildDist, distState } from '../../scripts/dist.mjs';

/** Loaded before the program: writes every CommonJS module the process loaded (package code is CommonJS) at exit. */
const RECORDER = `data:text/javascript,${encodeURIComponent(
  `import { createRequire } from 'node:module'; import { writeFileSync } from 'node:fs';
   const require = createRequire(process.cwd() + '/');
   process.on('exit', () => { if (process.env.MODULES_OUT) writeFileSync(process.env.MODULES_OUT, Object.keys(require.cache).join('\\n')); });`,
)}`;

/** Modules that mean database or service code was loaded. */
const HEAVY = /node_modules\/(@mikro-orm|knex|sqlite3|pg|express|xmlbuilder2|handlebars|ssh2)\//;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  modules: string[];
}

describe('compiled JavaScript (dist) for the CLI and npm start', function () {
  this.timeout(300_000);
  const distDir = join(process.cwd(), 'node_modules', '.cache', `dialtone-dist-test-${process.pid}`);
  let dataDir: string;
  let out: string;
  const env = () => ({
    ...process.env,
    DIALTONE_DIST_DIR: distDir,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    MODULES_OUT: out,
  });

  const cli = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      rmSync(out, { force: true });
      execFile(
        process.execPath,
        ['--import', RECORDER, 'bin/dialtone.js', ...args],
        { env: env() },
        (err, stdout, stderr) =>
          resolve({
            code: err ? Number(err.code) : 0,
            stdout,
            stderr,
            modules: readFileSync(out, 'utf8').split('\n'),
          }),
      );
    });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dialtone-dist-'));
    out = join(dataDir, 'modules.txt');
    await buildDist(distDir);
  });
  after(() => {
    rmSync(distDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is fresh right after the build, and `dialtone --help` runs it without loading any database or service code', async () => {
    expect(distState(distDir)).to.equal('fresh');
    const help = await cli(['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('usage: dialtone <command>').and.contain('device add --pbx CTX');
    expect(help.modules).to.include(join(distDir, 'cli.cjs'));
    expect(help.modules.filter((m) => HEAVY.test(m))).to.deep.equal([]);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).to.equal(2);
    expect(unknown.modules.filter((m) => HEAVY.test(m))).to.deep.equal([]);
  });

  it('runs commands from the build with the same output as the TypeScript', async () => {
    expect((await cli(['demo', '--context', 'shop'])).code).to.equal(0);
    const compiled = await cli(['list', 'extensions', '--pbx', 'shop', '--json']);
    expect(compiled.code, compiled.stderr).to.equal(0);
    expect(compiled.modules).to.include(join(distDir, 'cli.cjs'));
    expect(JSON.parse(compiled.stdout)).to.have.length(3);

    // Older than src/: the TypeScript runs instead (the build is not in the process), with the same answer.
    const info = JSON.parse(readFileSync(join(distDir, 'build.json'), 'utf8'));
    writeFileSync(join(distDir, 'build.json'), JSON.stringify({ ...info, inputsAt: 0 }));
    try {
      expect(distState(distDir)).to.equal('stale');
      const source = await cli(['list', 'extensions', '--pbx', 'shop', '--json']);
      expect(source.code, source.stderr).to.equal(0);
      expect(source.modules).to.not.include(join(distDir, 'cli.cjs'));
      expect(source.stdout).to.equal(compiled.stdout);
      expect(source.stderr, 'nothing extra on stderr when it is not a terminal').to.equal('');
    } finally {
      writeFileSync(join(distDir, 'build.json'), JSON.stringify(info));
    }
  });

  it('npm start serves /healthz from the build, and says so in its log when it runs the TypeScript instead', async () => {
    const start = (extra: Record<string, string>) => {
      rmSync(out, { force: true });
      const child = spawn(process.execPath, ['--import', RECORDER, 'scripts/start.mjs'], {
        env: { ...env(), PORT: '0', HOST: '127.0.0.1', TFTP_PORT: '0', WORKERS: '1', SEED_DEMO: 'false', ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      const port = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start:\n${text}`)), 150_000);
        const onData = (b: Buffer) => {
          text += b.toString();
          const m = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(text);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        // A server that dies at start-up fails the test at once, with its log, instead of waiting out the timer.
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`npm start exited (${code}) before listening:\n${text}`));
        });
      });
      const stop = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      };
      return { port, stop, text: () => text };
    };
    const compiled = start({});
    try {
      const res = await fetch(`http://127.0.0.1:${await compiled.port}/healthz`);
      expect(res.status).to.equal(200);
      await res.text();
    } finally {
      await compiled.stop();
    }
    expect(readFileSync(out, 'utf8').split('\n')).to.include(join(distDir, 'main.cjs'));
    expect(compiled.text()).to.not.contain('running the TypeScript');

    const missing = start({ DIALTONE_DIST_DIR: join(dataDir, 'no-dist') });
    try {
      const res = await fetch(`http://127.0.0.1:${await missing.port}/healthz`);
      expect(res.status).to.equal(200);
      await res.text();
    } finally {
      await missing.stop();
    }
    expect(missing.text()).to.contain('dist/ is missing: running the TypeScript');
  });
});
