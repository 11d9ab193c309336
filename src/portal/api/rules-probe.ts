// What a kind's field rules accept, learnt by running them: which fields they read (writable), which an empty input
// fails (required), which text fields are a closed list (enum) and which numbers have a range. The OpenAPI document and
// the API's unknown-field check use this, so neither can drift from the rules that really validate a save.
import { ForbiddenError } from '../../domain/errors';
import { DEFAULT_FEATURE_CODES, type Pbx } from '../../domain/model';
import type { PbxSnapshot, SnapshotList } from '../../domain/snapshot';
import { Fields } from '../../domain/validate';

export interface RuleFacts {
  /** Top-level input fields the rules read, in the order they read them. */
  writable: string[];
  /** Fields an empty input is refused for. */
  required: string[];
  /** Text fields that accept one of a fixed list. */
  enums: Record<string, string[]>;
  /** Whole-number fields with their range. */
  ranges: Record<string, { min: number; max: number }>;
}

type Parse = (f: Fields, snap: PbxSnapshot) => unknown;

const LISTS: SnapshotList[] = [
  'extensions',
  'mailboxes',
  'phoneNumbers',
  'e911Locations',
  'autoAttendants',
  'timeFrames',
  'holidays',
  'ringGroups',
  'conferenceRooms',
  'conferenceHubs',
  'queues',
  'holdMusicGroups',
  'audioFiles',
  'callBlocks',
  'sipTrunks',
  'devices',
  'users',
];

/** An empty PBX: enough for rules that look at the PBX's settings or its other objects. */
function emptySnapshot(): PbxSnapshot {
  const pbx = { id: 0, context: 'probe', featureCodes: DEFAULT_FEATURE_CODES, timezone: 'UTC' } as unknown as Pbx;
  const snap: Record<string, unknown> = { pbx, listenLive: null };
  for (const l of LISTS) snap[l] = [];
  return snap as unknown as PbxSnapshot;
}

/** Runs the rules on `input`, recording every field name they look up; a rule that throws ends the run, nothing else. */
function run(parse: Parse, input: Record<string, unknown>): { read: string[]; errors: Record<string, string> } {
  const read: string[] = [];
  const note = (p: string | symbol) => {
    if (typeof p === 'string' && !read.includes(p)) read.push(p);
  };
  const watched = new Proxy(input, {
    get(t, p) {
      note(p);
      return Reflect.get(t, p);
    },
    has(t, p) {
      note(p);
      return Reflect.has(t, p);
    },
    getOwnPropertyDescriptor(t, p) {
      note(p);
      return Reflect.getOwnPropertyDescriptor(t, p);
    },
  });
  const f = new Fields(watched);
  try {
    parse(f, emptySnapshot());
  } catch {
    // Rules that refuse outright (audio is upload-only) have no writable fields; what was read so far still counts.
  }
  return { read, errors: f.errors };
}

/**
 * Probes `parse`. `textFields` / `intFields` name the stored text and whole-number properties, the only ones an enum or
 * range is looked for (a destination's "must be one of" lists kinds, not values of the field).
 */
export function probeRules(parse: Parse, textFields: readonly string[], intFields: readonly string[]): RuleFacts {
  const empty = run(parse, {});
  const writable = empty.read;
  const required = writable.filter((f) => f in empty.errors);
  const enums: RuleFacts['enums'] = {};
  const ranges: RuleFacts['ranges'] = {};
  for (const field of writable) {
    if (textFields.includes(field)) {
      const m = /^must be one of: (.+)$/.exec(run(parse, { [field]: '\u0007probe' }).errors[field] ?? '');
      if (m) enums[field] = m[1].split(', ');
    }
    if (intFields.includes(field)) {
      const m = /must be between (-?\d+) and (-?\d+)/.exec(run(parse, { [field]: -999_999_999 }).errors[field] ?? '');
      if (m) ranges[field] = { min: Number(m[1]), max: Number(m[2]) };
    }
  }
  return { writable, required, enums, ranges };
}

/** Whether the rules refuse every change of an existing object outright (audio: replaced by upload only). */
export function refusesUpdates(
  parse: (f: Fields, snap: PbxSnapshot, current: Record<string, unknown>) => unknown,
): boolean {
  try {
    parse(new Fields({}, {}), emptySnapshot(), {});
    return false;
  } catch (err) {
    return err instanceof ForbiddenError;
  }
}
