// Golden-file trees: compare a generated Map<path, text> with test/<area>/golden/<name>/; UPDATE_GOLDEN=1 rewrites them.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'chai';

function walk(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? out.concat(walk(p)) : out.concat(p);
  }
  return out;
}

export function expectGoldenTree(dir: string, files: Map<string, string>): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return;
  }
  let onDisk: string[] = [];
  try {
    onDisk = walk(dir)
      .map((p) => relative(dir, p))
      .sort();
  } catch {
    throw new Error(`golden tree ${dir} is missing: run with UPDATE_GOLDEN=1 and review the diff`);
  }
  expect([...files.keys()].sort(), 'file list').to.deep.equal(onDisk);
  for (const [path, text] of files) expect(text, path).to.equal(readFileSync(join(dir, path), 'utf8'));
}
