// Renders include files whose element structure repeats (one per extension, mailbox, directory user) from one
// xmlbuilder2 serialisation per structure: only the attribute values and the comments change between them.
//
// A 10,000-extension PBX is ~30,000 such documents and a few hundred thousand elements. Building a fresh xmlbuilder2
// DOM for each costs ~3 µs per element (node objects, name checks, insertion checks, and the GC behind them), and
// serialising one again costs more than the rest of the export together. So xmlbuilder2 builds and serialises each
// structure once, with numbered marks for its values, and a document is that text with its values in the marks'
// places: attribute values as xmlbuilder2's serializer escapes them (it is asked, for the few values it changes),
// comments verbatim as it writes them. Tests compare every rendering with a fresh build, byte for byte.
import { create } from 'xmlbuilder2';
import { BoundedMemo } from '../../domain/bounded-memo';
import type { Build, ConfSection, DomElement, Fragment } from './xml';
import { INCLUDE_END, safeComment } from './xml';

/**
 * Stands in for the builder a Build receives: the calls builds make (`.ele(name, attrs)`, `.com(text)`) and the DOM
 * slice appendElement uses. It records the tree instead of building it: one object per element, its attributes as
 * one flat name/value list, children only when it has some (most elements are leaves; this runs a million times).
 */
class Recorder implements DomElement {
  readonly name: string;
  readonly attrs: string[] = []; // name, value, name, value…
  kids: Array<Recorder | string> | null = null; // a string is a comment's text
  constructor(name: string) {
    this.name = name;
  }
  get node(): Recorder {
    return this;
  }
  get ownerDocument(): { createElement(name: string): DomElement } {
    return RECORDING;
  }
  ele(name: string, attrs?: Record<string, string>): Recorder {
    const child = new Recorder(name);
    // As the builder does: null and undefined attributes are left out, other values become strings.
    if (attrs) for (const k in attrs) if (attrs[k] != null) child.setAttribute(k, String(attrs[k]));
    this.appendChild(child);
    return child;
  }
  com(text: string): Recorder {
    if (this.kids) this.kids.push(text);
    else this.kids = [text];
    return this;
  }
  appendChild(child: DomElement): void {
    if (this.kids) this.kids.push(child as Recorder);
    else this.kids = [child as Recorder];
  }
  setAttribute(name: string, value: string): void {
    const a = this.attrs;
    for (let i = 0; i < a.length; i += 2)
      if (a[i] === name) {
        a[i + 1] = value;
        return;
      }
    a.push(name, value);
  }
}

const RECORDING = { createElement: (name: string) => new Recorder(name) };

/**
 * A shape's text as xmlbuilder2 serialises it, cut at every value: `parts[0] + value[slots[0]] + parts[1] + …`.
 * `escaped[i]` says whether value i is an attribute value (escaped as the serializer does) or comment data (verbatim,
 * as the serializer writes it).
 */
interface Skeleton {
  parts: string[];
  slots: number[];
  escaped: boolean[];
}

/**
 * Skeletons by shape, looked up without building a key: a trie over the structure's tokens (element name, attribute
 * names in order, `#` for a comment, `>` closing an element), in the order walkShape meets them. Names come from the
 * generator's literals, so each step is one Map lookup on an interned string.
 */
interface ShapeNode {
  /** Element names, `#` for a comment, `>` closing an element. */
  next: Map<string, ShapeNode> | null;
  /** Attribute names: a separate map, so `<a b=…><c/>` and `<a><b c=…/>` never walk the same path. */
  attrs: Map<string, ShapeNode> | null;
  skeleton: Skeleton | null;
  lines: { open: Skeleton; close: string } | null;
}

const newNode = (): ShapeNode => ({ next: null, attrs: null, skeleton: null, lines: null });

function child(map: Map<string, ShapeNode>, token: string): ShapeNode {
  let next = map.get(token);
  if (next === undefined) {
    next = newNode();
    map.set(token, next);
  }
  return next;
}

function step(node: ShapeNode, token: string): ShapeNode {
  node.next ??= new Map();
  return child(node.next, token);
}

function stepAttribute(node: ShapeNode, name: string): ShapeNode {
  node.attrs ??= new Map();
  return child(node.attrs, name);
}

/** Walks `el`'s shape down the trie from `node`, pushing its values (attribute values, then children's) in order. */
function walkShape(el: Recorder, node: ShapeNode, values: string[]): ShapeNode {
  let n = step(node, el.name);
  const a = el.attrs;
  for (let i = 0; i < a.length; i += 2) {
    n = stepAttribute(n, a[i]);
    values.push(a[i + 1]);
  }
  if (el.kids)
    for (const k of el.kids)
      if (typeof k === 'string') {
        n = step(n, '#');
        values.push(k);
      } else n = walkShape(k, n, values);
  return step(n, '>');
}

/**
 * A control character around a value's index: nothing in xmlbuilder2's serializer escapes or reflows it, no name or
 * indentation contains it, and it keeps the skeleton's text one byte per character. V8 makes a string two bytes per
 * character when any piece joined into it is; one private-use mark did that to every document: twice the memory,
 * and on this kind of VM every fresh page costs ~12 µs to touch.
 */
const MARK = '\u0001';
const MARKS = /\u0001(\d+)\u0001/g;

/** Numbered marks for one skeleton's values, remembering which are attribute values. */
class Marks {
  readonly escaped: boolean[] = [];
  mark(attribute: boolean): string {
    return `${MARK}${this.escaped.push(attribute) - 1}${MARK}`;
  }
  attrs(r: Recorder): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < r.attrs.length; i += 2) out[r.attrs[i]] = this.mark(true);
    return out;
  }
  /** `text` cut at the marks. Every value exactly once, or the cut is wrong. */
  cut(text: string, what: string): Skeleton {
    const parts: string[] = [];
    const slots: number[] = [];
    let from = 0;
    for (const m of text.matchAll(MARKS)) {
      parts.push(text.slice(from, m.index));
      slots.push(Number(m[1]));
      from = m.index! + m[0].length;
    }
    parts.push(text.slice(from));
    if (slots.length !== this.escaped.length || new Set(slots).size !== slots.length)
      throw new Error(`skeleton of ${what}: ${slots.length} of ${this.escaped.length} values found in its text`);
    return { parts, slots, escaped: this.escaped };
  }
}

type Builder = ReturnType<ReturnType<typeof create>['ele']>;

/**
 * Serialises what `put(parent)` adds at `depth` (under `depth` wrapper elements, or as the root at 0) with the
 * options every generated file uses, and returns its lines without the wrappers'. Pretty-printed element and comment
 * nodes (builds add no text nodes) serialise independently of their siblings and their parents' names: a document is
 * its root's opening line, its children's texts one level deeper, and its closing line — each cut once per shape.
 */
function serialiseAt(depth: number, put: (parent: Builder | null) => Builder): string {
  if (depth === 0) return `${put(null).end(INCLUDE_END)}\n`;
  const top = create().ele('w');
  let parent = top;
  for (let d = 1; d < depth; d++) parent = parent.ele('w');
  put(parent);
  const lines = `${top.end(INCLUDE_END)}\n`.split('\n'); // ends with ''
  const head = lines.slice(0, depth);
  const tail = lines.slice(lines.length - 1 - depth, lines.length - 1);
  if (
    head.some((l, d) => l !== `${'  '.repeat(d)}<w>`) ||
    tail.some((l, i) => l !== `${'  '.repeat(depth - 1 - i)}</w>`)
  )
    throw new Error(`unexpected serialisation at depth ${depth}: ${JSON.stringify(lines.slice(0, depth + 2))}`);
  return `${lines.slice(depth, lines.length - 1 - depth).join('\n')}\n`;
}

function replay(marks: Marks, parent: Builder | null, k: Recorder | string): Builder {
  if (typeof k === 'string') return parent!.com(marks.mark(false));
  const e = parent ? parent.ele(k.name, marks.attrs(k)) : create().ele(k.name, marks.attrs(k));
  for (const c of k.kids ?? []) replay(marks, e, c);
  return e;
}

/** A whole node (an element with its subtree, or a comment) at `depth`. */
function skeletonOf(node: Recorder | string, depth: number): Skeleton {
  const marks = new Marks();
  const what = typeof node === 'string' ? 'a comment' : `<${node.name}>`;
  return marks.cut(
    serialiseAt(depth, (parent) => replay(marks, parent, node)),
    what,
  );
}

/** An element's opening and closing lines around its children, at `depth`: for elements too big to keep whole. */
function linesOf(el: Recorder, depth: number): { open: Skeleton; close: string } {
  const marks = new Marks();
  const text = serialiseAt(depth, (parent) =>
    (parent ? parent.ele(el.name, marks.attrs(el)) : create().ele(el.name, marks.attrs(el))).com('-'),
  );
  const lines = text.split('\n'); // open, comment, close, ''
  if (lines.length !== 4 || lines[2] !== `${'  '.repeat(depth)}</${el.name}>`)
    throw new Error(`unexpected serialisation of <${el.name}> at depth ${depth}: ${JSON.stringify(text)}`);
  return { open: marks.cut(`${lines[0]}\n`, `<${el.name}>`), close: `${lines[2]}\n` };
}

/** Number of values in `el`'s subtree, counting no further than just past `limit`. */
function valueCount(el: Recorder, limit: number): number {
  let n = el.attrs.length / 2;
  if (el.kids)
    for (const k of el.kids) {
      n += typeof k === 'string' ? 1 : valueCount(k, limit - n);
      if (n > limit) break;
    }
  return n;
}

/** xmlbuilder2's own serialisation of one attribute value, for the few values it changes (`&`, `<`, `>`, `"`). */
const ESCAPES = new BoundedMemo<string>(65_536);
const NEEDS_ESCAPING = /[&<>"]/;
function attributeText(value: string): string {
  if (!NEEDS_ESCAPING.test(value)) return value;
  return ESCAPES.get(value, () => {
    const one = create().ele('a', { v: value }).end({ headless: true });
    return one.slice('<a v="'.length, one.length - '"/>'.length);
  });
}

/** Elements with more values than this are one of a kind (a PBX-wide list): cut into their lines and children. */
const MAX_KEPT_VALUES = 512;

/** One export's cache of skeletons by shape and depth; drop it with the export. */
export class SkeletonRenderer {
  private readonly shapes: ShapeNode[] = [];
  private readonly values: string[] = [];

  /** The same text as renderInclude(f). */
  include(f: Fragment): string {
    return this.document('include', null, safeComment(f.comment), f);
  }

  /** The same text as renderConfFile(c, comment). */
  configuration(c: ConfSection, comment: string): string {
    return this.document('configuration', { name: c.name, description: c.description }, safeComment(comment), c);
  }

  private document(
    rootName: string,
    attrs: Record<string, string> | null,
    comment: string,
    of: { build: Build },
  ): string {
    const top = new Recorder(rootName);
    if (attrs) for (const k in attrs) top.setAttribute(k, attrs[k]);
    top.com(comment);
    of.build(top as unknown as Parameters<Build>[0]); // a method call: fragments may be class instances
    // One join makes a flat string; a chain of `+=` would leave a rope that every later reader flattens again.
    const out: string[] = [];
    this.split(top, 0, out);
    return out.join('');
  }

  /** An element as its opening line, its children one level deeper (big ones cut again), and its closing line. */
  private split(el: Recorder, depth: number, out: string[]): void {
    if (!el.kids) {
      this.whole(el, depth, out);
      return;
    }
    const values = this.values;
    values.length = 0;
    let end = step(this.trie(depth, '\u0000lines'), el.name);
    for (let i = 0; i < el.attrs.length; i += 2) {
      end = stepAttribute(end, el.attrs[i]);
      values.push(el.attrs[i + 1]);
    }
    end.lines ??= linesOf(el, depth);
    const { open, close } = end.lines;
    this.emit(open, values, out);
    for (const kid of el.kids) {
      if (typeof kid !== 'string' && kid.kids && valueCount(kid, MAX_KEPT_VALUES) > MAX_KEPT_VALUES)
        this.split(kid, depth + 1, out);
      else this.whole(kid, depth + 1, out);
    }
    out.push(close);
  }

  /** A node from the skeleton of its shape at this depth. */
  private whole(node: Recorder | string, depth: number, out: string[]): void {
    const values = this.values;
    values.length = 0;
    let end: ShapeNode;
    if (typeof node === 'string') {
      values.push(node);
      end = this.trie(depth, '#');
    } else end = walkShape(node, this.trie(depth, '\u0000whole'), values);
    end.skeleton ??= skeletonOf(node, depth);
    this.emit(end.skeleton, values, out);
  }

  private trie(depth: number, kind: string): ShapeNode {
    this.shapes[depth] ??= newNode();
    return step(this.shapes[depth], kind);
  }

  private emit({ parts, slots, escaped }: Skeleton, values: string[], out: string[]): void {
    out.push(parts[0]);
    for (let i = 0; i < slots.length; i++) {
      const v = values[slots[i]];
      out.push(escaped[slots[i]] ? attributeText(v) : v, parts[i + 1]);
    }
  }
}
