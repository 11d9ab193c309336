// Whole-tree checks for the call-flow tests: parse every file, resolve every transfer, media paths, cross references.
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { childElements, parseXmlStrict, type XmlElement } from '../../../src/freeswitch/xml-strict';

export interface Doc {
  path: string;
  root: XmlElement;
}

export function parseTree(tree: Map<string, string>): Doc[] {
  return [...tree].map(([path, text]) => {
    try {
      return { path, root: parseXmlStrict(text) };
    } catch (e) {
      throw new Error(`${path} does not parse: ${(e as Error).message}`);
    }
  });
}

export function* elements(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of childElements(el)) yield* elements(c);
}

export const attr = (el: XmlElement, name: string): string => el.attributes.get(name) ?? '';

/** Dialplan context of a file: dialplan/public/… → public, dialplan/<ctx>/… → ctx. */
function contextOf(path: string): string | undefined {
  return /^dialplan\/([^/]+)\//.exec(path)?.[1];
}

/** `^name$` with the escapes exactRegex adds undone; undefined for a pattern that is not one literal name. */
function literalName(expression: string): string | undefined {
  const m = /^\^(.*)\$$/.exec(expression);
  if (!m) return undefined;
  const name = m[1].replace(/\\([*#])/g, '$1');
  return /^[A-Za-z0-9_*#]+$/.test(name) ? name : undefined;
}

/** Names an extension answers to in each context (its first destination_number condition is a literal). */
export function definedNames(docs: Doc[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of docs) {
    const ctx = contextOf(d.path);
    if (!ctx) continue;
    for (const ext of elements(d.root)) {
      if (ext.name !== 'extension') continue;
      const first = childElements(ext, 'condition').find((c) => attr(c, 'field') === 'destination_number');
      const name = first && literalName(attr(first, 'expression'));
      if (!name) continue;
      if (!out.has(ctx)) out.set(ctx, new Set());
      out.get(ctx)!.add(name);
    }
  }
  return out;
}

export interface Transfer {
  path: string;
  target: string;
  context: string;
}

/** Every `transfer X XML ctx`, as a dialplan action or anti-action or as an IVR menu entry. */
export function transfers(docs: Doc[]): Transfer[] {
  const out: Transfer[] = [];
  const add = (path: string, data: string) => {
    const m = /^(\S+) XML (\S+)$/.exec(data);
    if (!m) throw new Error(`${path}: transfer data "${data}" is not "target XML context"`);
    out.push({ path, target: m[1], context: m[2] });
  };
  for (const d of docs)
    for (const el of elements(d.root)) {
      if ((el.name === 'action' || el.name === 'anti-action') && attr(el, 'application') === 'transfer')
        add(d.path, attr(el, 'data'));
      if (el.name === 'entry' && attr(el, 'action') === 'menu-exec-app' && attr(el, 'param').startsWith('transfer '))
        add(d.path, attr(el, 'param').slice('transfer '.length));
    }
  return out;
}

/** Names this module owns: they must be defined by a generated extension (so their object exists). */
const OWN = /^dt_(did|screen|tf|ivr|group|conf|hub|queue|trunk)_/;

/**
 * Why a transfer target does not resolve, or null when it does. Names of the dialplan module (not generated
 * here) resolve when the object they stand for exists in the snapshot: dt_vm_<mailbox>, dt_phone_<ext>,
 * dt_findme_<ext>, dt_directory, dt_check_vm, extension numbers, outside numbers and * feature codes.
 */
export function unresolved(t: Transfer, defined: Map<string, Set<string>>, snaps: PbxSnapshot[]): string | null {
  if (defined.get(t.context)?.has(t.target)) return null;
  const where = `${t.path}: transfer ${t.target} XML ${t.context}`;
  if (t.context === 'public') return `${where}: no such public extension`;
  const snap = snaps.find((s) => s.pbx.context === t.context);
  if (!snap) return `${where}: no PBX with that context`;
  if (OWN.test(t.target)) return `${where}: no generated entry point of that name`;
  const vm = /^dt_vm_(\d+)(_busy)?$/.exec(t.target);
  if (vm) return snap.mailboxes.some((b) => b.id === Number(vm[1])) ? null : `${where}: mailbox does not exist`;
  const phone = /^dt_(phone|findme)_(\d+)$/.exec(t.target);
  if (phone)
    return snap.extensions.some((e) => e.id === Number(phone[2])) ? null : `${where}: extension does not exist`;
  if (t.target === 'dt_directory' || t.target === 'dt_check_vm') return null;
  if (t.target === '$1') return null; // dial-by-extension: checked against the menu's own regex
  if (snap.extensions.some((e) => e.number === t.target)) return null;
  if (/^\d{10,15}$/.test(t.target) || /^\*[0-9*#]*$/.test(t.target)) return null;
  return `${where}: unknown target`;
}

const SCHEMES = /^(local_stream|tone_stream|silence_stream):\/\//;
const SOUND = /^[a-z0-9_-]+\/[A-Za-z0-9_.-]+\.(wav|mp3)$/;

/** Files a document plays or streams from, with where they were found. */
export function mediaReferences(docs: Doc[]): Array<{ path: string; ref: string }> {
  const out: Array<{ path: string; ref: string }> = [];
  for (const d of docs)
    for (const el of elements(d.root)) {
      if (el.name === 'menu')
        for (const a of ['greet-long', 'greet-short', 'invalid-sound', 'exit-sound'])
          if (el.attributes.has(a)) out.push({ path: d.path, ref: attr(el, a) });
      if (el.name === 'param' && /-sound$/.test(attr(el, 'name'))) out.push({ path: d.path, ref: attr(el, 'value') });
      if (el.name === 'directory' && el.attributes.has('path')) out.push({ path: d.path, ref: `${attr(el, 'path')}/` });
      if (el.name === 'action' || el.name === 'anti-action') {
        const app = attr(el, 'application');
        const data = attr(el, 'data');
        if (app === 'playback') out.push({ path: d.path, ref: data });
        if (app === 'play_and_get_digits') {
          const args = data.split(' ');
          out.push({ path: d.path, ref: args[5] }, { path: d.path, ref: args[6] });
        }
        if ((app === 'set' || app === 'export') && data.startsWith('hold_music='))
          out.push({ path: d.path, ref: data.slice(11) });
      }
    }
  return out;
}

/** Why a media reference is outside audioDir and the sounds tree, or null when it is fine. */
export function badMedia(ref: string, audioDir: string, soundsDir = '/usr/share/freeswitch/sounds'): string | null {
  if (SCHEMES.test(ref)) return null;
  if (ref === `${soundsDir}/music/8000/`) return null; // the stock hold music (freeswitch-music-default)
  if (ref.startsWith('/'))
    return ref.startsWith(`${audioDir}/`) && !ref.split('/').includes('..') ? null : 'absolute path outside audioDir';
  return SOUND.test(ref) ? null : 'not a sounds-relative path';
}
