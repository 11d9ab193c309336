// `npm start`: the compiled server in dist/ (built by `npm ci`, see dist.mjs), or the TypeScript through tsx when
// dist/ is missing or older than src/ (same server, slower start; its first log line says so). Cluster workers are
// forked from this same script and take the primary's choice.
import { distState, requireEntry } from './dist.mjs';

const state = process.env.DIALTONE_RUN_FROM ?? distState();
process.env.DIALTONE_RUN_FROM = state;
if (state === 'fresh') {
  requireEntry('main');
} else {
  if (!process.env.DIALTONE_WORKER)
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: `dist/ is ${state}: running the TypeScript (slower start; npm run dist rebuilds it)` })}\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
