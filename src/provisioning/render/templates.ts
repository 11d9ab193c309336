// Loads templates/provisioning/<vendor>/{base,families/<family>,models/<profile id>}/<file>.hbs and renders layered parameter lists.
//
// Layout and lookup: for a file kind ("phone", "common", "bootstrap") the layers are, most specific first,
// models/<profile.id>/<kind>.hbs, families/<profile.family>/<kind>.hbs, base/<kind>.hbs. Overrides hold only the
// parameters that differ; the layers are read in the vendor's file order and resolved with the vendor's precedence,
// so an override wins on both vendors without copying the base template.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { FirmwareProfile, VendorName } from '../../vendors/firmware-profile';
import { TemplateError } from './errors';
import { inReadingOrder, type Param, type Precedence, parseParamList, resolveParams } from './param-list';

/**
 * Compiled provisioning templates keyed by path relative to the root, with '/' separators (e.g. "yealink/base/phone.hbs"),
 * and the vendor data tables (*.json) beside them (e.g. "yealink/time-zone-names.json").
 */
export interface ProvisioningTemplates {
  readonly root: string;
  readonly byPath: ReadonlyMap<string, Handlebars.TemplateDelegate>;
  readonly data: ReadonlyMap<string, unknown>;
}

/** The repository's templates/provisioning folder. */
export function defaultTemplateRoot(): string {
  return fileURLToPath(new URL('../../../templates/provisioning', import.meta.url));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * Reads and compiles every template once (call at start-up). Each call gets its own Handlebars environment, so helpers
 * are not registered globally. Templates are compiled with noEscape (these are parameter lists, not HTML: values are
 * made single-line before rendering and escaped for XML by xmlbuilder2 afterwards) and strict (a misspelt field throws).
 */
export function loadProvisioningTemplates(root: string = defaultTemplateRoot()): ProvisioningTemplates {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const byPath = new Map<string, Handlebars.TemplateDelegate>();
  const data = new Map<string, unknown>();
  for (const file of listFiles(root)) {
    const key = relative(root, file).split(sep).join('/');
    if (key.endsWith('.hbs'))
      byPath.set(key, hbs.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true }));
    else if (key.endsWith('.json')) data.set(key, JSON.parse(readFileSync(file, 'utf8')));
  }
  return { root, byPath, data };
}

/** Template paths for one file kind, most specific first; the base layer must exist. */
export function layerPaths(
  templates: ProvisioningTemplates,
  vendor: VendorName,
  kind: string,
  profile: FirmwareProfile | null,
): string[] {
  const candidates = [
    ...(profile
      ? [`${vendor}/models/${profile.id}/${kind}.hbs`, `${vendor}/families/${profile.family}/${kind}.hbs`]
      : []),
    `${vendor}/base/${kind}.hbs`,
  ];
  const found = candidates.filter((path) => templates.byPath.has(path));
  if (!found.includes(`${vendor}/base/${kind}.hbs`))
    throw new TemplateError(`missing template ${vendor}/base/${kind}.hbs under ${templates.root}`);
  return found;
}

/** Every string in the view must be one line without control characters: the last guard against injected parameters. */
function assertSingleLine(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(value)) throw new TemplateError(`view value ${path} contains a control character`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      assertSingleLine(item, `${path}.${i}`);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) assertSingleLine(item, `${path}.${key}`);
  }
}

/**
 * Renders the layers of `kind` with `view`, reads them as parameter lists and resolves duplicates with the vendor's
 * precedence. `keyOf` as in resolveParams.
 */
export function renderParams(
  templates: ProvisioningTemplates,
  vendor: VendorName,
  kind: string,
  profile: FirmwareProfile | null,
  view: object,
  precedence: Precedence,
  keyOf?: (p: Param) => string,
): Param[] {
  assertSingleLine(view, 'view');
  const layers = layerPaths(templates, vendor, kind, profile);
  const params = inReadingOrder(layers, precedence).flatMap((path) => {
    const template = templates.byPath.get(path) as Handlebars.TemplateDelegate;
    let text: string;
    try {
      text = template(view);
    } catch (e) {
      throw new TemplateError(`${path}: ${(e as Error).message}`);
    }
    return parseParamList(text, path);
  });
  return resolveParams(params, precedence, keyOf);
}
