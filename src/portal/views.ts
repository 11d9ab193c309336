// Handlebars views: every template under templates/portal compiled once at start-up; the layout wraps each page.
// Templates only print what a view model holds ({{ }} escapes); the one triple-stash is the layout's {{{body}}}.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const TEMPLATE_ROOT = fileURLToPath(new URL('../../templates/portal/', import.meta.url));

type Template = Handlebars.TemplateDelegate;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'static'
        ? []
        : walk(join(dir, e.name))
      : e.name.endsWith('.hbs')
        ? [join(dir, e.name)]
        : [],
  );
}

export class Views {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Template>();

  constructor(root: string = TEMPLATE_ROOT) {
    registerTargetOptions(this.hbs);
    for (const file of walk(root)) {
      const name = relative(root, file)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      const source = latin1Text(readFileSync(file, 'utf8'));
      if (name.startsWith('partials/')) this.hbs.registerPartial(name.slice('partials/'.length), source);
      else this.templates.set(name, this.hbs.compile(source, { strict: false, preventIndent: true }));
    }
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  render(name: string, model: object): string {
    const t = this.templates.get(name);
    if (!t) throw new Error(`no portal template "${name}"`);
    return t(model, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  }
}

/**
 * HTML text (outside {{ }}) with every character beyond Latin-1 written as a numeric reference: the same page to the
 * browser, but V8 keeps a Latin-1 page as a one-byte string, which it joins and encodes several times faster than a
 * two-byte one (a single "…" or "“" would make the whole 70 KB page two-byte). Templates hold no inline script or
 * style, where a reference would not be decoded.
 */
export function latin1Text(source: string): string {
  return source
    .split(/({{[\s\S]*?}})/)
    .map((part, i) => (i % 2 ? part : part.replace(/[^\x00-\xff]/gu, (c) => `&#${c.codePointAt(0)};`)))
    .join('');
}

type TargetItems = ReadonlyArray<{ id: number; label: string }>;

/**
 * `{{targetOptions items selected}}`: a picker's "Choose…" option and one option per target, every value and label
 * escaped exactly as {{ }} would. The options of a list are built once per list object — the target catalog hands
 * the same frozen list to every page of a PBX revision, and an edit page has several pickers over hundreds of
 * targets — then only the chosen one is marked.
 */
function registerTargetOptions(hbs: typeof Handlebars): void {
  const built = new WeakMap<TargetItems, string>();
  const esc = hbs.escapeExpression;
  hbs.registerHelper('targetOptions', (items: TargetItems, selected: unknown) => {
    let html = built.get(items);
    if (html === undefined) {
      html = latin1Text(items.map((i) => `<option value="${esc(String(i.id))}">${esc(i.label)}</option>`).join(''));
      built.set(items, html);
    }
    const chosen = typeof selected === 'string' ? selected : '';
    if (chosen) {
      const open = `<option value="${esc(chosen)}">`;
      const at = html.indexOf(open);
      if (at >= 0) html = `${html.slice(0, at)}<option value="${esc(chosen)}" selected>${html.slice(at + open.length)}`;
    }
    return new hbs.SafeString(`<option value=""${chosen ? '' : ' selected'}>Choose&#8230;</option>${html}`);
  });
}
