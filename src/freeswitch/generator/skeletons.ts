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
import type { Build, DomElement, Fragment } from './xml';
import { INCLUDE_END, renderInclude, safeComment } from './xml';

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
  next: Map<string, ShapeNode> | null;
  skeleton: Skeleton | null;
}

const newNode = (): ShapeNode => ({ next: null, skeleton: null });

function step(node: ShapeNode, token: string): ShapeNode {
  let next = node.next?.get(token);
  if (next === undefined) {
    next = newNode();
    node.next ??= new Map();
    node.next.set(token, next);
  }
  return next;
}

/** Walks `el`'s shape down the trie from `node`, pushing its values (attribute values, then children's) in order. */
function walkShape(el: Recorder, node: ShapeNode, values: string[]): ShapeNode {
  let n = step(node, el.name);
  const a = el.attrs;
  for (let i = 0; i < a.length; i += 2) {
    n = step(n, a[i]);
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

/** Private-use characters around a value's index: nothing in xmlbuilder2's serializer escapes or reflows them. */
const MARK = '\uF8FF';
const MARKS = /\uF8FF(\d+)\uF8FF/g;

/**
 * Builds one child of the document root, each value replaced by its numbered mark, alone under a root named as the
 * document's, serialises it with the options every include file uses, and cuts the child's lines at the marks.
 * Pretty-printed element and comment children (builds add no text nodes) serialise independently of their siblings,
 * so a document is the root's opening line, its children's texts, and its closing line.
 */
function skeletonOf(rootName: string, kid: Recorder | string): Skeleton {
  const escaped: boolean[] = [];
  const mark = (attribute: boolean) => `${MARK}${escaped.push(attribute) - 1}${MARK}`;
  const attrsOf = (r: Recorder): Record<string, string> => {
    const out: Record<string, string> = {};
    for (let i = 0; i < r.attrs.length; i += 2) out[r.attrs[i]] = mark(true);
    return out;
  };
  const root = create().ele(rootName);
  const replay = (b: typeof root, k: Recorder | string) => {
    if (typeof k === 'string') b.com(mark(false));
    else {
      const e = b.ele(k.name, attrsOf(k));
      for (const c of k.kids ?? []) replay(e, c);
    }
  };
  replay(root, kid);
  const whole = `${root.end(INCLUDE_END)}\n`;
  const { open, close } = rootLines(rootName);
  if (!whole.startsWith(open) || !whole.endsWith(close))
    throw new Error(`skeleton under <${rootName}>: unexpected serialisation ${JSON.stringify(whole.slice(0, 80))}`);
  const text = whole.slice(open.length, whole.length - close.length);
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const m of text.matchAll(MARKS)) {
    parts.push(text.slice(from, m.index));
    slots.push(Number(m[1]));
    from = m.index! + m[0].length;
  }
  parts.push(text.slice(from));
  // Every value exactly once, or the cut is wrong: a shape xmlbuilder2 serialises differently than recorded.
  if (slots.length !== escaped.length || new Set(slots).size !== slots.length)
    throw new Error(`skeleton under <${rootName}>: ${slots.length} of ${escaped.length} values found in its text`);
  return { parts, slots, escaped };
}

/** The root's opening and closing lines around its children, and its text when it has none. */
function rootLines(rootName: string): RootLines {
  let lines = ROOT_LINES.get(rootName);
  if (!lines) {
    const empty = `${create().ele(rootName).end(INCLUDE_END)}\n`;
    lines = { open: `<${rootName}>\n`, close: `</${rootName}>\n`, empty };
    ROOT_LINES.set(rootName, lines);
  }
  return lines;
}
interface RootLines {
  open: string;
  close: string;
  empty: string;
}
const ROOT_LINES = new Map<string, RootLines>();

/** xmlbuilder2's own serialisation of one attribute value, for the few values it changes (`&`, `<`, `>`, `"`). */
const ESCAPES = new Map<string, string>();
const NEEDS_ESCAPING = /[&<>"]/;
function attributeText(value: string): string {
  if (!NEEDS_ESCAPING.test(value)) return value;
  let text = ESCAPES.get(value);
  if (text === undefined) {
    const one = create().ele('a', { v: value }).end({ headless: true });
    text = one.slice('<a v="'.length, one.length - '"/>'.length);
    if (ESCAPES.size < 65_536) ESCAPES.set(value, text);
  }
  return text;
}

/** Children with more values than this are one of a kind (a PBX-wide list): rendered the same way, not kept. */
const MAX_KEPT_VALUES = 512;

/** One export's cache of skeletons by shape; drop it with the export. */
export class SkeletonRenderer {
  private readonly shapes = newNode();

  /** The same text as renderInclude(f). */
  include(f: Fragment): string {
    const top = new Recorder('include');
    top.com(safeComment(f.comment));
    f.build(top as unknown as Parameters<Build>[0]);
    // Built with attributes on the root itself: not a document this renderer knows how to cut.
    if (top.attrs.length) return renderInclude(f);
    const lines = rootLines(top.name);
    if (!top.kids) return lines.empty;
    // One join makes a flat string; a chain of `+=` would leave a rope that every later reader flattens again.
    const out: string[] = [lines.open];
    const values: string[] = [];
    for (const kid of top.kids) {
      values.length = 0;
      let skeleton: Skeleton;
      if (typeof kid === 'string') {
        values.push(kid);
        const node = step(this.shapes, '#');
        skeleton = node.skeleton ??= skeletonOf(top.name, kid);
      } else {
        const node = walkShape(kid, this.shapes, values);
        skeleton = node.skeleton ?? skeletonOf(top.name, kid);
        if (values.length <= MAX_KEPT_VALUES) node.skeleton = skeleton;
      }
      const { parts, slots, escaped } = skeleton;
      out.push(parts[0]);
      for (let i = 0; i < slots.length; i++) {
        const v = values[slots[i]];
        out.push(escaped[slots[i]] ? attributeText(v) : v, parts[i + 1]);
      }
    }
    out.push(lines.close);
    return out.join('');
  }
}
