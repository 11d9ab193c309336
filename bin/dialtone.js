#!/usr/bin/env node
// Entry point of the `dialtone` command: the compiled CLI in dist/ (built by `npm ci`, see scripts/dist.mjs), or the
// TypeScript through tsx when dist/ is missing or older than src/ — same behaviour, slower start; an operator at a
// terminal is told why (scripts reading stderr get the command's own one-line errors only).
import { distState, requireEntry } from '../scripts/dist.mjs';

const state = distState();
if (state === 'fresh') {
  requireEntry('cli');
} else {
  if (process.stderr.isTTY)
    process.stderr.write(
      `dialtone: dist/ is ${state}, running the TypeScript (slower start; \`npm run dist\` rebuilds)\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/run.ts');
}
