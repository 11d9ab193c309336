// textPieces: long text cut for writing, never between the halves of a surrogate pair.
import { expect } from 'chai';
import { textPieces } from '../src/text-pieces';

describe('textPieces', () => {
  it('cuts text into pieces of at most the size that join back to it, keeping surrogate pairs whole', () => {
    const text = `ab😀c${'é'.repeat(7)}😀😀x${'𝄞'.repeat(5)}`;
    for (const size of [2, 3, 4, 5, 64]) {
      const pieces = [...textPieces(text, size)];
      expect(pieces.join(''), `size ${size}`).to.equal(text);
      for (const p of pieces) {
        expect(p.length).to.be.within(1, size);
        expect(Buffer.from(p).toString()).to.equal(p); // no lone surrogate: encodes and decodes unchanged
      }
    }
    expect([...textPieces('', 4)]).to.deep.equal([]);
  });
});
