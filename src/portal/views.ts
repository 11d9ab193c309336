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
    for (const file of walk(root)) {
      const name = relative(root, file)
        .replace(/\\/g, '/')
        .replace(/\.hbs$/, '');
      const source = readFileSync(file, 'utf8');
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
