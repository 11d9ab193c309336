// printable(): how error messages quote what someone typed.
import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors';
import { printable, spellOutControls } from '../../src/domain/printable';

describe('printable (input quoted in error messages)', () => {
  it('spells out C0/C1 controls, DEL, bidi and zero-width format characters, separators and lone surrogates', () => {
    expect(printable('a\u001b[31mb')).to.equal('a\\x1b[31mb');
    expect(printable('1\r\n2\u00003\u007f4\u009b')).to.equal('1\\x0d\\x0a2\\x003\\x7f4\\x9b');
    expect(printable('abc\u202edef\u200b\u2028\ufeff')).to.equal('abc\\u202edef\\u200b\\u2028\\ufeff');
    expect(printable('x\ud800y')).to.equal('x\\ud800y');
    expect(printable('tag\u{e0041}')).to.equal('tag\\u{e0041}');
  });

  it('keeps printable text as typed, unicode and emoji included', () => {
    expect(printable('Zoë Ñandú 📞 ${x} |,<>')).to.equal('Zoë Ñandú 📞 ${x} |,<>');
  });

  it('cuts long input by characters (never inside an emoji) and marks the cut', () => {
    expect(printable('1234567890', 4)).to.equal('1234…');
    expect(printable('📞📞📞', 2)).to.equal('📞📞…');
    expect(printable('x'.repeat(10_000)).length).to.equal(41);
  });

  it('names values that are not text by their shape', () => {
    expect(printable(42)).to.equal('42');
    expect(printable(['a'])).to.equal('(a list)');
    expect(printable({ toString: () => '\u001b' })).to.equal('(an object)');
    expect(printable(null)).to.equal('null');
  });

  it('spellOutControls leaves already-escaped text alone (errors scrub again as a second line of defence)', () => {
    const once = spellOutControls('a\u001bb');
    expect(spellOutControls(once)).to.equal(once);
  });

  it('a ValidationError keeps every field, also one named __proto__ (a JSON body key), with controls spelled out', () => {
    const err = new ValidationError(JSON.parse('{"__proto__": "is not a field", "a\\u001bb": "bad\\nvalue"}'));
    expect(Object.keys(err.fields)).to.deep.equal(['__proto__', 'a\\x1bb']);
    expect(err.fields['a\\x1bb']).to.equal('bad\\x0avalue');
    expect(Object.getPrototypeOf(err.fields)).to.equal(Object.prototype);
  });
});
