// xmlbuilder2 plumbing shared by every generated document: include files, configuration files, xml_curl documents.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

export type { XMLBuilder };

/** Appends elements to `parent`; the same builder serves the static tree and the live xml_curl answer. */
export type Build = (parent: XMLBuilder) => void;

/** One generated file of the static tree: path relative to the FreeSWITCH conf root. */
export interface Fragment {
  path: string;
  /** Says what made the file (shown as its first comment). */
  comment: string;
  build: Build;
}

/** A configuration document (autoload_configs/<name>.xml): `<configuration name=… description=…>`. */
export interface ConfSection {
  name: string; // e.g. "ivr.conf"
  description: string;
  build: Build;
}

/** How include and configuration files are serialised. */
export const INCLUDE_END = { headless: true, prettyPrint: true, indent: '  ' } as const;

/** Comments must not contain "--" or end with "-": XML forbids it. */
export function safeComment(text: string): string {
  if (!/[-\u0000-\u001f]/.test(text)) return ` ${text} `; // most comments: nothing to clean (one class: one scan)
  return ` ${text
    .replace(/-{2,}/g, '-')
    .replace(/[\u0000-\u001f]/g, ' ')
    .replace(/-$/, '')} `;
}

/** A conf/minimal-style include file: `<include>` with a comment saying what made it. */
export function renderInclude(f: Fragment): string {
  const root = create().ele('include');
  root.com(safeComment(f.comment));
  f.build(root);
  return `${root.end(INCLUDE_END)}\n`;
}

export function renderConfFile(c: ConfSection, comment: string): string {
  const root = create().ele('configuration', { name: c.name, description: c.description });
  root.com(safeComment(comment));
  c.build(root);
  return `${root.end(INCLUDE_END)}\n`;
}

/** The mod_xml_curl answer: `<document type="freeswitch/xml"><section name=…>…`. */
export function renderDocument(section: 'directory' | 'dialplan' | 'configuration', build: Build): string {
  const doc = create().ele('document', { type: 'freeswitch/xml' });
  const s = doc.ele('section', { name: section, description: 'Dialtone' });
  build(s);
  return `${doc.end({ headless: true, prettyPrint: false })}\n`;
}

/** The slice of xmlbuilder2's DOM (the `.node` under every builder) that the hot paths use. */
export interface DomElement {
  readonly ownerDocument: { createElement(name: string): DomElement } | null;
  appendChild(child: DomElement): unknown;
  setAttribute(name: string, value: string): void;
}

export const domOf = (b: XMLBuilder): DomElement => b.node as unknown as DomElement;

/**
 * Appends `<name attrs…/>` through xmlbuilder2's own DOM: the same name checks, and the same serializer escapes the
 * values, as `.ele()`, minus the builder's per-call argument sniffing and namespace lookups. A 10,000-extension PBX
 * is well over a million elements, and that overhead alone doubled the export time.
 */
export function appendElement(parent: DomElement, name: string, attrs: Record<string, string>): DomElement {
  const el = parent.ownerDocument!.createElement(name);
  for (const key in attrs) el.setAttribute(key, attrs[key]);
  parent.appendChild(el);
  return el;
}

/** Adds `<action application=… data=…/>` children in order. */
export function actions(
  parent: XMLBuilder | DomElement,
  list: Action[],
  tag: 'action' | 'anti-action' = 'action',
): void {
  if (!list.length) return;
  const dom = 'node' in parent ? domOf(parent) : parent;
  for (const a of list) {
    const attrs: Record<string, string> = { application: a.app };
    if (a.data !== undefined && a.data !== '') attrs.data = a.data;
    if (a.inline) attrs.inline = 'true';
    appendElement(dom, tag, attrs);
  }
}

export interface Action {
  app: string;
  data?: string;
  inline?: boolean;
}
