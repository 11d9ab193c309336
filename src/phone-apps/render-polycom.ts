// Screens as Polycom microbrowser XHTML (VVX, UC Software), built with xmlbuilder2.
//
// From Polycom's "Web Application Developer's Guide" (SoundPoint IP / VVX, UC Software 3.x–5.x) and the notes
// collected with it: the browser is strict XHTML (every element closed, lower-case tags; a syntax error renders
// nothing), knows html/head/title/body/a/b/br/form/input/table; a link `tel://<number>` dials; custom soft keys are
// `<softkey index="1..8" label="≤9 chars" action="…"/>` with actions SoftKey:Fetch;<url>, SoftKey:Back and
// SoftKey:Exit; the idle browser (mb.idleDisplay.home) shows a page without navigation and re-fetches it every
// mb.idleDisplay.refresh seconds, and the page's own `<meta http-equiv="refresh">` is honoured as well.
// (unverified) whether a VVX honours `tel://` as a soft-key action: dial targets are therefore rendered as links in
// the page body (a VVX selects links with its arrow keys and Select), never as soft keys.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { RenderedScreen, Screen, ScreenLimits, SoftKey, Target } from './screen';
import { clip } from './text';

export const POLYCOM_CONTENT_TYPE = 'text/html; charset=utf-8';
/** Polycom soft-key labels hold 9 characters. */
const SOFTKEY_LABEL = 9;

function href(target: Target): string {
  switch (target.kind) {
    case 'url':
      return target.href;
    case 'dial':
      return `tel://${target.number}`;
    case 'exit':
      return 'SoftKey:Exit';
  }
}

function softkeyAction(target: Target): string {
  return target.kind === 'url' ? `SoftKey:Fetch;${target.href}` : 'SoftKey:Exit';
}

function page(title: string, limits: ScreenLimits, refreshSeconds?: number): { html: XMLBuilder; body: XMLBuilder } {
  const html = create().ele('html', { xmlns: 'http://www.w3.org/1999/xhtml' });
  const head = html.ele('head');
  head.ele('title').txt(clip(title, limits.lineChars));
  // 0 means "never" (mb.idleDisplay.refresh = 0): a refresh of 0 seconds would reload without pause.
  if (refreshSeconds) head.ele('meta', { 'http-equiv': 'refresh', content: String(refreshSeconds) });
  const body = html.ele('body');
  return { html, body };
}

function heading(body: XMLBuilder, text: string, limits: ScreenLimits): void {
  body.ele('b').txt(clip(text, limits.lineChars));
  body.ele('br');
}

function link(body: XMLBuilder, label: string, target: Target, limits: ScreenLimits): void {
  body.ele('a', { href: href(target) }).txt(clip(label, limits.lineChars));
  body.ele('br');
}

/** Navigation soft keys; dial keys become the first links of the page instead (see the header). */
function softkeys(html: XMLBuilder, body: XMLBuilder, keys: readonly SoftKey[], limits: ScreenLimits): void {
  const dials = keys.filter((k) => k.target.kind === 'dial');
  for (const k of dials) link(body, k.label, k.target, limits);
  keys
    .filter((k) => k.target.kind !== 'dial')
    .slice(0, 8)
    .forEach((k, i) => {
      html.ele('softkey', {
        index: String(i + 1),
        label: clip(k.label, SOFTKEY_LABEL),
        action: softkeyAction(k.target),
      });
    });
}

export function renderPolycom(screen: Screen, limits: ScreenLimits): RenderedScreen {
  let html: XMLBuilder;
  switch (screen.type) {
    case 'menu': {
      const p = page(screen.title, limits);
      html = p.html;
      heading(p.body, screen.title, limits);
      for (const item of screen.items.slice(0, limits.itemsPerPage)) link(p.body, item.label, item.target, limits);
      softkeys(html, p.body, screen.softkeys, limits);
      break;
    }
    case 'text': {
      const p = page(screen.title, limits);
      html = p.html;
      heading(p.body, screen.title, limits);
      for (const line of screen.lines) {
        p.body.txt(clip(line, limits.lineChars));
        p.body.ele('br');
      }
      softkeys(html, p.body, screen.softkeys, limits);
      break;
    }
    case 'input': {
      const p = page(screen.title, limits);
      html = p.html;
      heading(p.body, screen.title, limits);
      const form = p.body.ele('form', { action: screen.action, method: 'get' });
      form.txt(clip(screen.prompt, limits.lineChars));
      form.ele('br');
      form.ele('input', { type: 'text', name: screen.param, value: clip(screen.value, 40) });
      form.ele('br');
      form.ele('input', { type: 'submit', value: 'Search' });
      p.body.ele('br');
      softkeys(html, p.body, screen.softkeys, limits);
      break;
    }
    case 'directory': {
      const p = page(screen.title, limits);
      html = p.html;
      heading(p.body, screen.title, limits);
      for (const e of screen.entries.slice(0, limits.itemsPerPage))
        link(p.body, e.name, { kind: 'dial', number: e.number }, limits);
      softkeys(html, p.body, screen.softkeys, limits);
      break;
    }
    case 'dial': {
      const p = page(screen.title, limits);
      html = p.html;
      heading(p.body, screen.title, limits);
      for (const line of screen.lines) {
        p.body.txt(clip(line, limits.lineChars));
        p.body.ele('br');
      }
      link(p.body, 'Dial', { kind: 'dial', number: screen.number }, limits);
      softkeys(html, p.body, screen.softkeys, limits);
      break;
    }
    case 'status': {
      // The idle display: a few words, no links (the idle browser cannot navigate), refreshed by the phone.
      const p = page(screen.title, limits, screen.refreshSeconds);
      html = p.html;
      screen.lines.forEach((line, i) => {
        if (i === 0) p.body.ele('b').txt(clip(line, limits.lineChars));
        else p.body.txt(clip(line, limits.lineChars));
        p.body.ele('br');
      });
      break;
    }
  }
  return { contentType: POLYCOM_CONTENT_TYPE, body: `${html.end({ headless: true, prettyPrint: false })}\n` };
}
