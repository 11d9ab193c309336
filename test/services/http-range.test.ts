// Range headers for streamed audio: the single ranges players send, suffixes, open ends, and what to ignore.
import { expect } from 'chai';
import { parseRange, rangeResponse } from '../../src/services/http-range';

describe('HTTP byte ranges', () => {
  const size = 1000;
  const cases: Array<[string | undefined, ReturnType<typeof parseRange>]> = [
    [undefined, { kind: 'full', start: 0, end: 999, length: 1000 }],
    ['bytes=0-1', { kind: 'partial', start: 0, end: 1, length: 2 }],
    ['bytes=500-', { kind: 'partial', start: 500, end: 999, length: 500 }],
    ['bytes=900-5000', { kind: 'partial', start: 900, end: 999, length: 100 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999, length: 100 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999, length: 1000 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-2', { kind: 'full', start: 0, end: 999, length: 1000 }],
    ['bytes=0-1,5-6', { kind: 'full', start: 0, end: 999, length: 1000 }],
    ['items=0-1', { kind: 'full', start: 0, end: 999, length: 1000 }],
    ['bytes=99999999999999999999-', { kind: 'full', start: 0, end: 999, length: 1000 }],
  ];
  for (const [header, expected] of cases)
    it(`${header ?? '(none)'}`, () => expect(parseRange(header, size)).to.deep.equal(expected));

  it('answers 206 with Content-Range, 416 with the size, 200 otherwise', () => {
    expect(rangeResponse(parseRange('bytes=0-1', size), size)).to.deep.equal({
      status: 206,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Range': 'bytes 0-1/1000', 'Content-Length': '2' },
    });
    expect(rangeResponse(parseRange('bytes=2000-', size), size).status).to.equal(416);
    expect(rangeResponse(parseRange('bytes=2000-', size), size).headers['Content-Range']).to.equal('bytes */1000');
    expect(rangeResponse(parseRange(null, size), size)).to.deep.equal({
      status: 200,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Length': '1000' },
    });
  });
});
