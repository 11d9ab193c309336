// Renders include files whose element structure repeats (one per extension, mailbox, directory user) through one
// reused xmlbuilder2 DOM per structure: only the attribute values and the comment change between them.
//
// A 10,000-extension PBX is ~30,000 such documents and nearly a million elements. Building a fresh xmlbuilder2 DOM
// for each costs ~3 µs per element (node objects, name checks, insertion checks, and the GC behind them), three
// times what serialising it costs. The values still go through xmlbuilder2's serializer and its escaping, exactly
// as when the DOM is built fresh; tests compare both renderings byte for byte.
import { create } from 'xmlbuilder2';
import type { Build, DomElement, Fragment } from './xml';
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

/** The structure without the values: element names, attribute names in order, children, comment positions. */
function shapeOf(el: Recorder): string {
  let out = `<${el.name}`;
  for (let i = 0; i < el.attrs.length; i += 2) out += ` ${el.attrs[i]}`;
  if (el.kids) for (const k of el.kids) out += typeof k === 'string' ? '#' : shapeOf(k);
  return `${out}>`;
}

interface Skeleton {
  root: ReturnType<ReturnType<typeof create>['ele']>;
  attrs: Array<{ value: string }>; // the DOM's Attr nodes, in recording order
  comments: Array<{ data: string }>;
}

interface DomNode {
  attributes?: ArrayLike<{ value: string }>;
  childNodes: ArrayLike<DomNode>;
  nodeType: number;
}

const attrsOf = (r: Recorder): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i < r.attrs.length; i += 2) out[r.attrs[i]] = r.attrs[i + 1];
  return out;
};

function skeletonOf(rec: Recorder): Skeleton {
  const root = create().ele(rec.name, attrsOf(rec));
  const replay = (b: typeof root, el: Recorder) => {
    for (const k of el.kids ?? []) {
      if (typeof k === 'string') b.com(k);
      else replay(b.ele(k.name, attrsOf(k)), k);
    }
  };
  replay(root, rec);
  const attrs: Skeleton['attrs'] = [];
  const comments: Skeleton['comments'] = [];
  const walk = (n: DomNode) => {
    for (const a of Array.from(n.attributes ?? [])) attrs.push(a);
    for (const c of Array.from(n.childNodes)) {
      if (c.nodeType === 8) comments.push(c as unknown as { data: string });
      else if (c.nodeType === 1) walk(c);
    }
  };
  walk(root.node as unknown as DomNode);
  return { root, attrs, comments };
}

/** Puts the recorded values into the skeleton's Attr and Comment nodes, in the order skeletonOf listed them. */
function fill(s: Skeleton, rec: Recorder): void {
  let a = 0;
  let c = 0;
  const walk = (el: Recorder) => {
    for (let i = 1; i < el.attrs.length; i += 2) {
      const attr = s.attrs[a++];
      if (attr.value !== el.attrs[i]) attr.value = el.attrs[i];
    }
    if (el.kids === null) return;
    for (const k of el.kids) {
      if (typeof k !== 'string') walk(k);
      else {
        const com = s.comments[c++];
        if (com.data !== k) com.data = k;
      }
    }
  };
  walk(rec);
}

/** Documents bigger than this are one of a kind (a PBX-wide list): rendered the same way, not kept. */
const MAX_KEPT_SHAPE = 4096;

/** One export's cache of skeletons by shape; drop it with the export. */
export class SkeletonRenderer {
  private readonly skeletons = new Map<string, Skeleton>();

  /** The same text as renderInclude(f). */
  include(f: Fragment): string {
    return this.render('include', safeComment(f.comment), f.build);
  }

  private render(rootName: string, comment: string, build: Build): string {
    const top = new Recorder(rootName);
    top.com(comment);
    build(top as unknown as Parameters<Build>[0]);
    const shape = shapeOf(top);
    let skeleton = this.skeletons.get(shape);
    if (!skeleton) {
      skeleton = skeletonOf(top);
      if (shape.length <= MAX_KEPT_SHAPE) this.skeletons.set(shape, skeleton);
    } else fill(skeleton, top);
    return `${skeleton.root.end(INCLUDE_END)}\n`;
  }
}
