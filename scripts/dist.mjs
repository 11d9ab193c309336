// Compiled JavaScript for `npm start` and the `dialtone` command: src/ bundled by esbuild into dist/ (git-ignored),
// built by `npm ci`/`npm install` (the `prepare` script) and checked for freshness by every start.
//
// Why: running the TypeScript through tsx costs ~2 s of module loading at every start (its loader thread compiles
// each of ~300 files on the way); the bundle loads in a fraction of that. npm test keeps running the TypeScript.
//
// Layout: dist/main.cjs (server) and dist/cli.cjs (command line), one file each; packages stay in node_modules.
// CommonJS, because packages are CommonJS: an ES module importing them has each one's exports scanned first, which
// cost a third more CPU at start-up than plain require(). A dynamic import() inside src stays lazy in the bundle (the
// module runs, and requires its packages, only when called), so `dialtone --help` runs no database code. A source's
// `import.meta.url` becomes the URL of the source file itself, so paths a module finds next to its source
// (templates/, firmware-profiles/, freeswitch/) resolve as they do under tsx. dist/build.json records what it was
// built from; a src/ file newer than that makes it stale.

import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = { main: 'src/main.ts', cli: 'src/cli/run.ts' };
/** Besides src/: files whose change makes a build stale. */
const INPUTS = ['package.json', 'package-lock.json', 'scripts/dist.mjs'];

/** Where the build lives: dist/ unless DIALTONE_DIST_DIR says otherwise (tests build elsewhere). */
export function distDir(env = process.env) {
  return env.DIALTONE_DIST_DIR ? resolve(env.DIALTONE_DIST_DIR) : join(ROOT, 'dist');
}

/** Newest modification time (ms) of the inputs of a build. */
function newestInput() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'src'));
  for (const f of INPUTS) newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs);
  return newest;
}

/** 'fresh', 'missing' (never built) or 'stale' (a source changed since). */
export function distState(dir = distDir()) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8'));
  } catch {
    return 'missing';
  }
  return typeof info.inputsAt === 'number' && info.inputsAt >= newestInput() ? 'fresh' : 'stale';
}

/** Builds into a temporary folder next to `dir`, then swaps it in (a running server keeps the files it loaded). */
export async function buildDist(dir = distDir()) {
  const { build } = await import('esbuild');
  const inputsAt = newestInput();
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const sourceUrl = {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        if (text.includes('import.meta.url')) {
          // Relative to the output folder (the bundle sits directly in it); the source stays where it is.
          const rel = relative(dir, args.path).split(sep).join('/');
          const here = 'require("node:url").pathToFileURL(__filename)';
          text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, ${here}).href`);
        }
        return { contents: text, loader: 'ts' };
      });
    },
  };
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    bundle: true,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Class names stay as written (esbuild would rename one that collides with another module's): the CLI tells
    // refusals apart by class, and stack traces read better.
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [sourceUrl],
  });
  writeFileSync(join(staging, 'build.json'), `${JSON.stringify({ inputsAt, builtAt: Date.now() })}\n`);
  const old = `${dir}.old-${process.pid}`;
  try {
    renameSync(dir, old);
  } catch {
    // nothing built before
  }
  renameSync(staging, dir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Runs the compiled server or CLI with require(): import() of a .cjs file first has Node's ESM loader scan the whole
 * bundle (750 KB to 1.3 MB) with its CommonJS export lexer and wrap it — ~8 % of a CLI command's time.
 */
export function requireEntry(name, dir = distDir()) {
  return createRequire(import.meta.url)(join(dir, `${name}.cjs`));
}

// `node scripts/dist.mjs` (the prepare script) builds.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildDist();
  process.stdout.write(
    `dialtone: compiled src/ into ${relative(ROOT, distDir())}/ in ${Math.round(performance.now() - started)} ms\n`,
  );
}
