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

const END = { headless: true, prettyPrint: true, indent: '  ' } as const;

/** Comments must not contain "--" or end with "-": XML forbids it. */
export function safeComment(text: string): string {
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
  return `${root.end(END)}\n`;
}

export function renderConfFile(c: ConfSection, comment: string): string {
  const root = create().ele('configuration', { name: c.name, description: c.description });
  root.com(safeComment(comment));
  c.build(root);
  return `${root.end(END)}\n`;
}

/** The mod_xml_curl answer: `<document type="freeswitch/xml"><section name=…>…`. */
export function renderDocument(section: 'directory' | 'dialplan' | 'configuration', build: Build): string {
  const doc = create().ele('document', { type: 'freeswitch/xml' });
  const s = doc.ele('section', { name: section, description: 'Dialtone' });
  build(s);
  return `${doc.end({ headless: true, prettyPrint: false })}\n`;
}

/** Adds `<action application=… data=…/>` children in order. */
export function actions(parent: XMLBuilder, list: Action[], tag: 'action' | 'anti-action' = 'action'): void {
  for (const a of list) {
    const attrs: Record<string, string> = { application: a.app };
    if (a.data !== undefined && a.data !== '') attrs.data = a.data;
    if (a.inline) attrs.inline = 'true';
    parent.ele(tag, attrs);
  }
}

export interface Action {
  app: string;
  data?: string;
  inline?: boolean;
}
