// TFTP packet codec: round trips of every packet type, and a table of malformed datagrams that must be refused.
import { expect } from 'chai';
import {
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodePacket,
  encodeRequest,
  parsePacket,
  type TftpPacket,
  TftpPacketError,
} from '../../../src/servers/tftp/packet';

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('tftp packet codec', () => {
  it('parses an RRQ with RFC 2347 options, keeping order, case and duplicates as sent', () => {
    const buf = bytes([0, 1], 'sip.ld\0octet\0blksize\x001428\0TSIZE\x000\0blksize\x00512\0');
    expect(parsePacket(buf)).to.deep.equal({
      op: 'rrq',
      filename: 'sip.ld',
      mode: 'octet',
      options: [
        { name: 'blksize', value: '1428' },
        { name: 'TSIZE', value: '0' },
        { name: 'blksize', value: '512' },
      ],
    });
  });

  it('encodes exactly the bytes RFC 1350 and RFC 2347 describe', () => {
    expect(encodeRequest('rrq', 'a.cfg', 'octet', [{ name: 'tsize', value: '0' }])).to.deep.equal(
      bytes([0, 1], 'a.cfg\0octet\0tsize\x000\0'),
    );
    expect(encodeRequest('wrq', 'up.log', 'octet')).to.deep.equal(bytes([0, 2], 'up.log\0octet\0'));
    expect(encodeData(0x1234, Buffer.from('hi'))).to.deep.equal(bytes([0, 3, 0x12, 0x34], 'hi'));
    expect(encodeAck(65535)).to.deep.equal(bytes([0, 4, 0xff, 0xff]));
    expect(encodeError(1, 'File not found')).to.deep.equal(bytes([0, 5, 0, 1], 'File not found\0'));
    expect(encodeOack([{ name: 'blksize', value: '1428' }])).to.deep.equal(bytes([0, 6], 'blksize\x001428\0'));
  });

  const samples: TftpPacket[] = [
    { op: 'rrq', filename: 'firmware/T54W(T57W,T53W)-96.86.0.45.rom', mode: 'netascii', options: [] },
    { op: 'wrq', filename: 'x', mode: 'octet', options: [{ name: 'timeout', value: '3' }] },
    { op: 'data', block: 0, data: Buffer.alloc(0) },
    { op: 'data', block: 65535, data: Buffer.alloc(1428, 7) },
    { op: 'ack', block: 0 },
    { op: 'error', code: 8, message: '' },
    {
      op: 'oack',
      options: [
        { name: 'tsize', value: '41943040' },
        { name: 'blksize', value: '1428' },
      ],
    },
  ];
  for (const packet of samples) {
    it(`round-trips ${packet.op} ${JSON.stringify(packet).slice(0, 60)}`, () => {
      expect(parsePacket(encodePacket(packet))).to.deep.equal(packet);
    });
  }

  it('returns DATA payloads as views of the datagram, not copies', () => {
    const buf = encodeData(1, Buffer.from('abc'));
    const packet = parsePacket(buf);
    if (packet.op !== 'data') throw new Error('expected data');
    expect(packet.data.buffer).to.equal(buf.buffer);
  });

  it('keeps non-ASCII bytes byte-for-byte (latin1) so validation sees them', () => {
    const packet = parsePacket(bytes([0, 1], [0xc3, 0xa9, 0x2e, 0x63, 0], 'octet\0'));
    if (packet.op !== 'rrq') throw new Error('expected rrq');
    expect(packet.filename).to.equal('\u00c3\u00a9.c');
  });

  const malformed: [string, Buffer][] = [
    ['empty datagram', bytes([])],
    ['one byte', bytes([0])],
    ['opcode 0', bytes([0, 0, 1, 2])],
    ['opcode 7', bytes([0, 7], 'x\0')],
    ['opcode 256', bytes([1, 1], 'x\0octet\0')],
    ['RRQ without anything', bytes([0, 1])],
    ['RRQ filename not terminated', bytes([0, 1], 'abc')],
    ['RRQ without mode', bytes([0, 1], 'abc\0')],
    ['RRQ mode not terminated', bytes([0, 1], 'abc\0octet')],
    ['RRQ empty filename', bytes([0, 1], '\0octet\0')],
    ['RRQ empty mode', bytes([0, 1], 'abc\0\0')],
    ['RRQ option without value', bytes([0, 1], 'abc\0octet\0blksize\0')],
    ['RRQ option value not terminated', bytes([0, 1], 'abc\0octet\0blksize\x001428')],
    ['RRQ trailing garbage', bytes([0, 1], 'abc\0octet\0junk')],
    ['RRQ empty option name', bytes([0, 1], 'abc\0octet\0\x001428\0')],
    ['WRQ without mode', bytes([0, 2], 'abc\0')],
    ['DATA without block', bytes([0, 3, 0])],
    ['ACK too short', bytes([0, 4, 0])],
    ['ACK too long', bytes([0, 4, 0, 1, 0])],
    ['ERROR without message', bytes([0, 5, 0, 1])],
    ['ERROR message not terminated', bytes([0, 5, 0, 1], 'oops')],
    ['ERROR trailing bytes', bytes([0, 5, 0, 1], 'oops\0x')],
    ['OACK without options', bytes([0, 6])],
    ['OACK option without value', bytes([0, 6], 'blksize\0')],
  ];
  for (const [name, buf] of malformed) {
    it(`refuses ${name} with TftpPacketError`, () => {
      expect(() => parsePacket(buf)).to.throw(TftpPacketError);
    });
  }

  it('refuses to encode what the wire cannot carry', () => {
    expect(() => encodeAck(65536)).to.throw(TftpPacketError);
    expect(() => encodeAck(-1)).to.throw(TftpPacketError);
    expect(() => encodeData(1.5, Buffer.alloc(0))).to.throw(TftpPacketError);
    expect(() => encodeRequest('rrq', 'a\0b', 'octet')).to.throw(TftpPacketError);
    expect(() => encodeRequest('rrq', '', 'octet')).to.throw(TftpPacketError);
    expect(() => encodeRequest('rrq', 'a', 'octet', [{ name: '', value: '1' }])).to.throw(TftpPacketError);
    expect(() => encodeRequest('rrq', 'caf\u20ac', 'octet')).to.throw(TftpPacketError);
    expect(() => encodeError(70000, 'x')).to.throw(TftpPacketError);
    expect(() => encodeOack([])).to.throw(TftpPacketError);
  });
});
