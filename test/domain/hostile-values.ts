// The hostile inputs every user-typed field is tried with (SPEC §1 and DESIGN "bad input is a test case").
// Spelled without template-looking literals: these are data, not templates.

export const FS_VAR = '$' + '{system(id)}';
export const FS_GLOBAL = '$$' + '{x}';
export const UNICODE_NAME = 'Zoë Ñandú';

/** Text every typed field refuses (names included). */
export const HOSTILE_TEXT: Array<[string, string]> = [
  ['FreeSWITCH variable', FS_VAR],
  ['FreeSWITCH global variable', FS_GLOBAL],
  ['pipe (app data split)', '1001|bridge'],
  ['comma (argument split)', 'a,b'],
  ['^^: (delimiter change)', '^^:'],
  ['markup', '<x>'],
  ['double quotes', '"q"'],
  ['path traversal', '../'],
  ['line feed', 'a\nb'],
  ['carriage return', 'a\rb'],
  ['NUL', 'a\u0000b'],
  ['terminal escape (red text, then clear screen by C1 CSI)', 'a\u001b[31mb\u009b2J'],
  ['10 kB of text', 'x'.repeat(10 * 1024)],
  ['10 kB of digits', '1'.repeat(10 * 1024)],
  ['emoji', 'Call me 📞'],
  ['right-to-left override', 'abc\u202Edef'],
];

/** Values of the wrong shape for a scalar field. */
export const WRONG_SHAPES: Array<[string, unknown]> = [
  ['an object', { a: 1 }],
  ['an array of text', ['x']],
  ['an empty array', []],
  ['a boolean', true],
  ['a fraction', 12.5],
  ['a negative number', -1],
];
