// What a phone sends as RTP, as pcap files for sipp's play_pcap_audio: keys as RFC 2833 telephone-events (what a desk
// phone sends when a key is pressed) and speech as G.711 a-law. (FreeSWITCH ignores SIP INFO keys unless a channel is set up for them, and sipp's own one-digit pcaps
// reuse one timestamp per digit, so the same key twice would look like a repeat.) One file per key sequence, the
// gaps between keys encoded as pcap time; sipp rewrites the addresses and ports.
import { writeFileSync } from 'node:fs';

const EVENT: Record<string, number> = { '*': 10, '#': 11 };
for (let d = 0; d <= 9; d++) EVENT[String(d)] = d;

/** Same payload type as the callers' SDP (a=rtpmap:101 telephone-event/8000). */
const PAYLOAD_TYPE = 101;

// Sequence numbers and timestamps only ever grow, across files too: the second batch of keys of one call must not
// look like a late copy of the first (FreeSWITCH drops telephone-events whose timestamp it has seen).
let nextSeq = 1000;
let nextTimestamp = 160_000;

function packet(rtp: Buffer): Buffer {
  const udpLength = 8 + rtp.length;
  const eth = Buffer.from('000000000002000000000001' + '0800', 'hex');
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + udpLength, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9); // UDP
  ip.writeUInt32BE(0x7f000001, 12);
  ip.writeUInt32BE(0x7f000001, 16);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(udpLength, 4);
  return Buffer.concat([eth, ip, udp, rtp]);
}

/** G.711 a-law of one 16-bit sample (ITU-T G.711). */
function alaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = exponent === 0 ? (s >> 4) & 0x0f : (s >> (exponent + 3)) & 0x0f;
  return (sign | (exponent << 4) | mantissa) ^ 0x55;
}

/**
 * Writes `ms` of a warbling tone as a-law RTP (payload type 8, as the callers' SDP offers first) to `file`: something
 * a voicemail box records as a message, far above its silence threshold. Returns the playing time in ms.
 */
export function writeSpeechPcap(file: string, ms: number): number {
  const records: Buffer[] = [];
  const ssrc = 0x5eec0001;
  let seq = nextSeq;
  let timestamp = nextTimestamp;
  for (let at = 0, n = 0; at < ms; at += 20) {
    const rtp = Buffer.alloc(12 + 160);
    rtp.writeUInt8(0x80, 0);
    rtp.writeUInt8(at === 0 ? 0x88 : 0x08, 1); // marker on the first packet, PCMA
    rtp.writeUInt16BE(seq++ & 0xffff, 2);
    rtp.writeUInt32BE(timestamp, 4);
    rtp.writeUInt32BE(ssrc, 8);
    for (let i = 0; i < 160; i++, n++) {
      const hz = 400 + 200 * Math.sin((2 * Math.PI * n) / 8000); // a slow warble
      rtp.writeUInt8(alaw(9000 * Math.sin((2 * Math.PI * hz * n) / 8000)), 12 + i);
    }
    timestamp = (timestamp + 160) >>> 0;
    records.push(pcapRecord(at, packet(rtp)));
  }
  nextSeq = (seq + 100) & 0xffff;
  nextTimestamp = (timestamp + 80_000) >>> 0;
  writeFileSync(file, Buffer.concat([pcapHeader(), ...records]));
  return ms;
}

function pcapRecord(ms: number, data: Buffer): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(Math.floor(ms / 1000), 0);
  head.writeUInt32LE(Math.round((ms % 1000) * 1000), 4);
  head.writeUInt32LE(data.length, 8);
  head.writeUInt32LE(data.length, 12);
  return Buffer.concat([head, data]);
}

function pcapHeader(): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // Ethernet
  return global;
}

/** Writes `keys` to `file` (each key held 120 ms, `gapMs` between keys); returns the playing time in ms. */
export function writeDtmfPcap(file: string, keys: string, gapMs = 250): number {
  const records: Buffer[] = [];
  let atMs = 0;
  let seq = nextSeq;
  let timestamp = nextTimestamp;
  const ssrc = 0x0d1a1707;
  const add = (ms: number, event: number, end: boolean, duration: number, marker: boolean) => {
    const rtp = Buffer.alloc(16);
    rtp.writeUInt8(0x80, 0);
    rtp.writeUInt8((marker ? 0x80 : 0) | PAYLOAD_TYPE, 1);
    rtp.writeUInt16BE(seq++ & 0xffff, 2);
    rtp.writeUInt32BE(timestamp, 4);
    rtp.writeUInt32BE(ssrc, 8);
    rtp.writeUInt8(event, 12);
    rtp.writeUInt8((end ? 0x80 : 0) | 10, 13); // volume -10 dBm0
    rtp.writeUInt16BE(duration, 14);
    records.push(pcapRecord(ms, packet(rtp)));
  };
  for (const key of keys) {
    const event = EVENT[key];
    if (event === undefined) throw new Error(`not a DTMF key: ${JSON.stringify(key)}`);
    for (let i = 0; i < 6; i++) add(atMs + i * 20, event, false, i * 160, i === 0);
    for (let i = 0; i < 3; i++) add(atMs + 120, event, true, 960, false); // the end, sent three times (RFC 4733)
    atMs += 120 + gapMs;
    timestamp += 8 * (120 + gapMs);
  }
  nextSeq = (seq + 100) & 0xffff;
  nextTimestamp = (timestamp + 80_000) >>> 0;
  writeFileSync(file, Buffer.concat([pcapHeader(), ...records]));
  return atMs;
}
