// The captured FreeSWITCH 1.10.12 event-socket bytes and the README table saying which command produced each file.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bodyText, type EslFrame } from '../../src/freeswitch/event-socket/frame';
import { EslFrameParser } from '../../src/freeswitch/event-socket/frame-parser';

export const ESL_FIXTURE_DIR = fileURLToPath(new URL('../fixtures/freeswitch/esl/', import.meta.url));
const README = fileURLToPath(new URL('../fixtures/freeswitch/README.md', import.meta.url));

export interface EslFixtureRow {
  readonly file: string;
  /** What the capturing client sent (without the trailing blank line), or undefined for pushed events. */
  readonly command: string | undefined;
  readonly notes: string;
}

/** File names in esl/, sorted. */
export function listEslFixtures(): string[] {
  return readdirSync(ESL_FIXTURE_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
}

/** The raw bytes, never re-encoded. */
export function readEslFixture(file: string): Buffer {
  return readFileSync(ESL_FIXTURE_DIR + file);
}

export function eslFixtureFrames(file: string): EslFrame[] {
  return new EslFrameParser().push(readEslFixture(file));
}

/** Body of a single-frame api/response fixture. */
export function eslFixtureBody(file: string): string {
  const frames = eslFixtureFrames(file);
  if (frames.length !== 1) throw new Error(`${file}: expected one frame, found ${frames.length}`);
  return bodyText(frames[0]!);
}

let tableCache: EslFixtureRow[] | undefined;

/** Rows of the README's `esl/` table; `\|` inside a command cell is a literal `|`. */
export function eslFixtureTable(): EslFixtureRow[] {
  if (tableCache) return tableCache;
  const rows: EslFixtureRow[] = [];
  const row = /^\| `(esl-[^`]+)` \| (`(?:[^`\\]|\\.)*`|\([^)]*\)) \|(.*)\|\s*$/;
  for (const line of readFileSync(README, 'utf8').split('\n')) {
    const match = row.exec(line);
    if (!match) continue;
    const sent = match[2]!;
    rows.push({
      file: match[1]!,
      command: sent.startsWith('`') ? sent.slice(1, -1).replace(/\\\|/g, '|') : undefined,
      notes: match[3]!.trim(),
    });
  }
  tableCache = rows;
  return rows;
}

/**
 * `api` command text (without the `api ` prefix) -> fixture file. Where several captures share a command
 * (before/after states), the shortest file name is the default; tests pick the others explicitly.
 */
export function defaultApiFixtures(): Map<string, string> {
  const map = new Map<string, string>();
  for (const { file, command } of eslFixtureTable()) {
    if (!command?.startsWith('api ')) continue;
    const api = command.slice(4);
    const existing = map.get(api);
    if (!existing || file.length < existing.length) map.set(api, file);
  }
  return map;
}

let apiNamesCache: Set<string> | undefined;

/** Every API command name this FreeSWITCH build had (from `show api as json`), for "Command not found!" fidelity. */
export function knownApiNames(): Set<string> {
  if (apiNamesCache) return apiNamesCache;
  const parsed = JSON.parse(eslFixtureBody('esl-api-show_api_json.txt')) as { rows: { name: string }[] };
  apiNamesCache = new Set(parsed.rows.map((row) => row.name));
  return apiNamesCache;
}
