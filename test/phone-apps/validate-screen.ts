// Structural checks every phone-app answer must pass, for both vendors: a well-formed document with the expected
// root, no more items than the model's page holds, no line longer than it shows, every target one of our own routes
// (with this phone's token) or a number to dial, and a Yealink object under the guide's 10,000 bytes.
import { expect } from 'chai';
import { parseXmlStrict, type XmlElement } from '../../src/freeswitch/xml-strict';
import type { FirmwareProfile } from '../../src/vendors/firmware-profile';

export const YEALINK_ROOTS = [
  'YealinkIPPhoneTextMenu',
  'YealinkIPPhoneTextScreen',
  'YealinkIPPhoneInputScreen',
  'YealinkIPPhoneDirectory',
  'YealinkIPPhoneExecute',
  'YealinkIPPhoneStatus',
] as const;

const INTERNAL = /^SoftKey:(Exit|Submit|BackSpace|ChangeMode|Dial)$/;
const DIAL = /^Dial:\+?[0-9*#]{1,32}$/;
const TEL = /^tel:\/\/\+?[0-9*#]{1,32}$/;

function* elements(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) if (typeof c !== 'string') yield* elements(c);
}

function text(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : text(c))).join('');
}

const graphemes = (s: string): number => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].length;

export interface Checked {
  root: XmlElement;
  /** Every target found, as written. */
  targets: string[];
  /** Visible texts (titles, prompts, item labels, lines). */
  texts: string[];
}

/** Checks one answer body of `profile`'s phone whose token is `token`; returns what it found for further asserts. */
export function checkScreen(body: string, profile: FirmwareProfile, base: string, token: string): Checked {
  const ours = `${base}/${token}/`;
  const root = parseXmlStrict(body.replace(/^<\?xml[^>]*\?>/, '').trim());
  const targets: string[] = [];
  const texts: string[] = [];
  const ownRoute = (t: string) => t.startsWith(ours) && !/[\s<>"]/.test(t);
  if (profile.vendor === 'yealink') {
    expect(YEALINK_ROOTS as readonly string[], body.slice(0, 200)).to.include(root.name);
    expect(Buffer.byteLength(body), 'Yealink object size').to.be.at.most(10_000);
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).to.equal(true);
    const items = [...elements(root)].filter((e) => e.name === 'MenuItem' || e.name === 'DirectoryEntry');
    expect(items.length, 'items on one page').to.be.at.most(Math.min(30, profile.screen.itemsPerPage));
    for (const el of elements(root)) {
      if (el.name === 'URI' || el.name === 'URL') targets.push(text(el));
      if (el.name === 'ExecuteItem') targets.push(el.attributes.get('URI') ?? '');
      if (el.name === 'Dial' || el.name === 'Telephone') targets.push(`Dial:${text(el)}`);
      if (['Title', 'Prompt', 'Name', 'Message', 'Label', 'Default'].includes(el.name)) texts.push(text(el));
      if (el.name === 'Text') texts.push(...text(el).split('\n'));
    }
    for (const t of targets) expect(ownRoute(t) || DIAL.test(t) || INTERNAL.test(t), `target ${t}`).to.equal(true);
  } else {
    expect(root.name).to.equal('html');
    const body2 = [...elements(root)].find((e) => e.name === 'body');
    expect(body2, 'a body').to.not.equal(undefined);
    const links = [...elements(root)].filter((e) => e.name === 'a');
    // A page's items plus at most two dial keys shown as links (render-polycom.ts).
    expect(links.length, 'links on one page').to.be.at.most(profile.screen.itemsPerPage + 2);
    for (const el of elements(root)) {
      if (el.name === 'a') targets.push(el.attributes.get('href') ?? '');
      if (el.name === 'form') targets.push(el.attributes.get('action') ?? '');
      if (el.name === 'softkey') {
        const action = el.attributes.get('action') ?? '';
        targets.push(action.startsWith('SoftKey:Fetch;') ? action.slice('SoftKey:Fetch;'.length) : action);
        expect(graphemes(el.attributes.get('label') ?? ''), 'soft-key label').to.be.at.most(9);
        const index = Number(el.attributes.get('index'));
        expect(index).to.be.within(1, 8);
      }
      if (['title', 'a', 'b'].includes(el.name)) texts.push(text(el));
      if (el.name === 'body' || el.name === 'form')
        for (const c of el.children) if (typeof c === 'string' && c.trim()) texts.push(c);
    }
    for (const t of targets) expect(ownRoute(t) || TEL.test(t) || t === 'SoftKey:Exit', `target ${t}`).to.equal(true);
  }
  for (const t of texts) expect(graphemes(t), `line "${t}"`).to.be.at.most(profile.screen.lineChars);
  return { root, targets, texts };
}
