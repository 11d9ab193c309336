// Screens as Yealink XML browser objects, built with xmlbuilder2.
//
// Element and attribute names follow Yealink's "XML Browser Developer's Guide" (T4x/T5x): YealinkIPPhoneTextMenu
// (MenuItem Prompt/URI/Dial, at most 30 items), YealinkIPPhoneTextScreen (Text), YealinkIPPhoneInputScreen (URL,
// InputField type/Prompt/Parameter/Default; the phone appends `?<Parameter>=<value>` to URL on Submit),
// YealinkIPPhoneDirectory (DirectoryEntry Name/Telephone), YealinkIPPhoneExecute (ExecuteItem URI="Dial:…"),
// YealinkIPPhoneStatus (Message, SessionID), SoftKey index/Label/URI with the internal URIs SoftKey:Exit,
// SoftKey:Submit, SoftKey:BackSpace, SoftKey:ChangeMode and SoftKey:Dial. An object must stay under 10,000 bytes.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { RenderedScreen, Screen, ScreenLimits, SoftKey, Target } from './screen';
import { clip } from './text';

export const YEALINK_CONTENT_TYPE = 'text/xml; charset=utf-8';
/** The guide's limit on one object. */
export const YEALINK_MAX_BYTES = 10_000;
/** Yealink soft-key labels are cut by the phone at about this length. */
const SOFTKEY_LABEL = 10;
/** Seconds a screen stays before the phone returns to idle. */
const TIMEOUT = '60';

function uri(target: Target): string {
  switch (target.kind) {
    case 'url':
      return target.href;
    case 'dial':
      return `Dial:${target.number}`;
    case 'exit':
      return 'SoftKey:Exit';
  }
}

/** Internal soft-key URIs of the input and directory objects (the phone performs them itself). */
export type YealinkSoftKeyUri = 'SoftKey:Submit' | 'SoftKey:BackSpace' | 'SoftKey:ChangeMode' | 'SoftKey:Dial';

function softkeys(root: XMLBuilder, keys: readonly SoftKey[], extra: ReadonlyArray<[string, YealinkSoftKeyUri]> = []) {
  const all: Array<[string, string]> = [...extra.map(([l, u]) => [l, u] as [string, string])];
  for (const k of keys) all.push([k.label, uri(k.target)]);
  all.slice(0, 6).forEach(([label, u], i) => {
    const key = root.ele('SoftKey', { index: String(i + 1) });
    key.ele('Label').txt(clip(label, SOFTKEY_LABEL));
    key.ele('URI').txt(u);
  });
}

function title(root: XMLBuilder, text: string, limits: ScreenLimits): void {
  root.ele('Title', { wrap: 'no' }).txt(clip(text, limits.lineChars));
}

function document(name: string, attrs: Record<string, string>): XMLBuilder {
  return create({ version: '1.0', encoding: 'UTF-8' }).ele(name, attrs);
}

const common = { Beep: 'no', Timeout: TIMEOUT, destroyOnExit: 'yes' };
const TONE = { ok: 'green', warn: 'yellow', off: 'lightgray' } as const;

export function renderYealink(screen: Screen, limits: ScreenLimits): RenderedScreen {
  let root: XMLBuilder;
  switch (screen.type) {
    case 'menu': {
      root = document('YealinkIPPhoneTextMenu', { style: 'none', ...common });
      title(root, screen.title, limits);
      for (const item of screen.items.slice(0, Math.min(30, limits.itemsPerPage))) {
        const mi = root.ele('MenuItem');
        mi.ele('Prompt').txt(clip(item.label, limits.lineChars));
        mi.ele('URI').txt(uri(item.target));
        if (item.target.kind === 'dial') mi.ele('Dial').txt(item.target.number);
      }
      softkeys(root, screen.softkeys);
      break;
    }
    case 'text': {
      root = document('YealinkIPPhoneTextScreen', common);
      title(root, screen.title, limits);
      root.ele('Text').txt(screen.lines.map((l) => clip(l, limits.lineChars)).join('\n'));
      softkeys(root, screen.softkeys);
      break;
    }
    case 'input': {
      root = document('YealinkIPPhoneInputScreen', { type: 'string', ...common });
      title(root, screen.title, limits);
      root.ele('URL').txt(screen.action);
      const field = root.ele('InputField', { type: 'string', password: 'no', editable: 'yes' });
      field.ele('Prompt').txt(clip(screen.prompt, limits.lineChars));
      field.ele('Parameter').txt(screen.param);
      field.ele('Default').txt(clip(screen.value, 40));
      softkeys(root, screen.softkeys, [
        ['Search', 'SoftKey:Submit'],
        ['Delete', 'SoftKey:BackSpace'],
        ['abc/123', 'SoftKey:ChangeMode'],
      ]);
      break;
    }
    case 'directory': {
      root = document('YealinkIPPhoneDirectory', common);
      title(root, screen.title, limits);
      for (const e of screen.entries.slice(0, Math.min(30, limits.itemsPerPage))) {
        const entry = root.ele('DirectoryEntry');
        entry.ele('Name').txt(clip(e.name, limits.lineChars));
        entry.ele('Telephone').txt(e.number);
      }
      softkeys(root, screen.softkeys, [['Dial', 'SoftKey:Dial']]);
      break;
    }
    case 'dial': {
      root = document('YealinkIPPhoneExecute', { Beep: 'no' });
      root.ele('ExecuteItem', { URI: `Dial:${screen.number}` });
      break;
    }
    case 'status': {
      root = document('YealinkIPPhoneStatus', { Beep: 'no', SessionID: 'dialtone-agent', Timeout: '0' });
      for (const line of screen.lines) {
        const attrs: Record<string, string> = { Size: 'normal', Align: 'center' };
        if (limits.color) attrs.Color = TONE[screen.tone];
        root.ele('Message', attrs).txt(clip(line, limits.lineChars));
      }
      break;
    }
  }
  return { contentType: YEALINK_CONTENT_TYPE, body: `${root.end({ prettyPrint: false })}\n` };
}
