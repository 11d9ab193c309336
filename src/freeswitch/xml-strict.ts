// Strict, small XML well-formedness parser for documents FreeSWITCH sends or reads (CDRs, config files).

// xmlbuilder2's reader silently repairs mismatched or unclosed tags, so it cannot tell a truncated CDR or a
// broken config file from a good one. This parser refuses anything that is not well-formed XML 1.0, and also
// refuses DOCTYPEs (no entity expansion, no external references): neither FreeSWITCH nor our files use them.

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  /** Child elements and text runs, in document order (comments and processing instructions are dropped). */
  readonly children: ReadonlyArray<XmlElement | string>;
}

export interface XmlParseOptions {
  /** Refuse documents longer than this many characters (default 8 MiB). */
  maxLength?: number;
  /** Refuse element nesting deeper than this (default 64). */
  maxDepth?: number;
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Index of the first code unit outside XML 1.0's Char production (controls, U+FFFE, U+FFFF), or -1. */
function firstForbiddenChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || c === 0xfffe || c === 0xffff) return i;
  }
  return -1;
}

/** Parses one XML document and returns its root element; throws XmlSyntaxError on anything not well-formed. */
export function parseXmlStrict(text: string, options: XmlParseOptions = {}): XmlElement {
  const maxLength = options.maxLength ?? 8 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 64;
  if (text.length > maxLength) throw new XmlSyntaxError(`document longer than ${maxLength} characters`, maxLength);
  const bad = firstForbiddenChar(text);
  if (bad >= 0) throw new XmlSyntaxError('character not allowed in XML', bad);

  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new XmlSyntaxError(message, at);
  };
  const startsWith = (s: string) => text.startsWith(s, pos);
  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const readName = (): string => {
    const start = pos;
    if (pos >= text.length || !NAME_START.test(text[pos])) fail('expected a name');
    pos++;
    while (pos < text.length && NAME_CHAR.test(text[pos])) pos++;
    return text.slice(start, pos);
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&]*);?/g, (match, body: string, offset: number) => {
      if (!match.endsWith(';')) fail('unterminated entity reference', at + offset);
      if (body in PREDEFINED) return PREDEFINED[body];
      const num = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
      if (!num) fail(`unknown entity &${body};`, at + offset);
      const code = num![1] !== undefined ? Number.parseInt(num![1], 16) : Number.parseInt(num![2], 10);
      const ok =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!ok) fail(`character reference &${body}; is not an XML character`, at + offset);
      return String.fromCodePoint(code);
    });
  const skipMisc = (allowDeclaration: boolean) => {
    for (;;) {
      skipSpace();
      if (startsWith('<?')) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        const target = /^<\?([^\s?]+)/.exec(text.slice(pos, end))?.[1] ?? '';
        if (target.toLowerCase() === 'xml' && !(allowDeclaration && pos === 0)) fail('misplaced XML declaration');
        pos = end + 2;
      } else if (startsWith('<!--')) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        if (text.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
        pos = end + 3;
      } else if (startsWith('<!DOCTYPE') || startsWith('<!doctype')) {
        fail('DOCTYPE is not accepted');
      } else {
        return;
      }
      allowDeclaration = false;
    }
  };

  const parseElement = (depth: number): XmlElement => {
    if (depth > maxDepth) fail(`elements nested deeper than ${maxDepth}`);
    if (!startsWith('<')) fail('expected an element');
    pos++;
    const name = readName();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = pos;
      skipSpace();
      if (startsWith('/>')) {
        pos += 2;
        return { name, attributes, children: [] };
      }
      if (startsWith('>')) {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace, ">" or "/>"');
      const attrName = readName();
      skipSpace();
      if (!startsWith('=')) fail(`attribute ${attrName} has no value`);
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attrName} value is not quoted`);
      const end = text.indexOf(quote, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = text.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" inside attribute ${attrName}`, pos + 1 + raw.indexOf('<'));
      if (attributes.has(attrName)) fail(`duplicate attribute ${attrName}`);
      attributes.set(attrName, decode(raw, pos + 1).replace(/[\t\n\r]/g, ' '));
      pos = end + 1;
    }
    const children: Array<XmlElement | string> = [];
    for (;;) {
      if (pos >= text.length) fail(`element <${name}> is not closed`);
      if (startsWith('</')) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (!startsWith('>')) fail('expected ">"');
        pos++;
        return { name, attributes, children };
      }
      if (startsWith('<!--')) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unterminated comment');
        if (text.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
        pos = end + 3;
      } else if (startsWith('<![CDATA[')) {
        const end = text.indexOf(']]>', pos + 9);
        if (end < 0) fail('unterminated CDATA section');
        children.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (startsWith('<?')) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unterminated processing instruction');
        pos = end + 2;
      } else if (startsWith('<!')) {
        fail('markup declaration not accepted here');
      } else if (startsWith('<')) {
        children.push(parseElement(depth + 1));
      } else {
        const end = text.indexOf('<', pos);
        const stop = end < 0 ? text.length : end;
        const raw = text.slice(pos, stop);
        const cdataEnd = raw.indexOf(']]>');
        if (cdataEnd >= 0) fail('"]]>" in text', pos + cdataEnd);
        children.push(decode(raw, pos));
        pos = stop;
      }
    }
  };

  skipMisc(true);
  const root = parseElement(1);
  skipMisc(false);
  if (pos !== text.length) fail('content after the root element');
  return root;
}

/** Child elements of `el` named `name` (all child elements when no name is given). */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

/** The first child element named `name`, if any. */
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return childElements(el, name)[0];
}

/** Concatenated text directly inside `el` (not inside its child elements). */
export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}
