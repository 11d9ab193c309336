// Local time in a PBX's zone, checked by hand against the 2026 DST changes of America/Chicago (8 March: 02:00 -> 03:00;
// 1 November: 02:00 -> 01:00), a half-hour zone and a zone whose DST day starts at 01:00.
import { expect } from 'chai';
import {
  addDays,
  fromLocal,
  isoInZone,
  isTimeZone,
  offsetMinutes,
  offsetSegments,
  parseDate,
  startOfDay,
  toLocal,
} from '../../src/domain/zoned-time';

const CHI = 'America/Chicago';
const H = 3_600_000;

describe('zoned time', () => {
  it('gives DST days in Chicago 23 and 25 hours, and ordinary days 24', () => {
    const len = (d: string) => (startOfDay(CHI, addDays(d, 1)) - startOfDay(CHI, d)) / H;
    expect(len('2026-03-07')).to.equal(24);
    expect(len('2026-03-08')).to.equal(23);
    expect(len('2026-11-01')).to.equal(25);
    expect(isoInZone(CHI, startOfDay(CHI, '2026-03-08'))).to.equal('2026-03-08T00:00:00-06:00');
    expect(new Date(startOfDay(CHI, '2026-03-09')).toISOString()).to.equal('2026-03-09T05:00:00.000Z');
  });

  it('reads a time that never happens as after the gap, and one that happens twice as its first occurrence', () => {
    expect(isoInZone(CHI, fromLocal(CHI, { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }))).to.equal(
      '2026-03-08T03:30:00-05:00',
    );
    expect(isoInZone(CHI, fromLocal(CHI, { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }))).to.equal(
      '2026-11-01T01:30:00-05:00',
    );
    // The second 01:30 exists too: an hour later, in CST.
    expect(isoInZone(CHI, Date.parse('2026-11-01T07:30:00Z'))).to.equal('2026-11-01T01:30:00-06:00');
  });

  it('handles half-hour offsets and a day that starts at 01:00 (America/Santiago, 6 September 2026)', () => {
    expect(isoInZone('Asia/Kolkata', startOfDay('Asia/Kolkata', '2026-03-08'))).to.equal('2026-03-08T00:00:00+05:30');
    expect(isoInZone('America/Santiago', startOfDay('America/Santiago', '2026-09-06'))).to.equal(
      '2026-09-06T01:00:00-03:00',
    );
  });

  it('converts both ways and caches offsets without changing them', () => {
    for (let t = Date.parse('2026-03-07T00:00:00Z'); t < Date.parse('2026-03-10T00:00:00Z'); t += 7 * 60_000) {
      const l = toLocal(CHI, t);
      expect(l.offsetMinutes).to.equal(offsetMinutes(CHI, t));
      const back = fromLocal(CHI, l);
      expect(Math.floor(back / 1000)).to.equal(Math.floor(t / 1000));
    }
  });

  it('splits a range into constant-offset pieces at the exact DST instants', () => {
    const from = startOfDay(CHI, '2026-03-01');
    const to = startOfDay(CHI, '2026-11-30');
    expect(offsetSegments(CHI, from, to).map((s) => [new Date(s.start).toISOString(), s.offsetMinutes])).to.deep.equal([
      ['2026-03-01T06:00:00.000Z', -360],
      ['2026-03-08T08:00:00.000Z', -300],
      ['2026-11-01T07:00:00.000Z', -360],
    ]);
    expect(offsetSegments('Asia/Kolkata', from, to)).to.deep.equal([{ start: from, offsetMinutes: 330 }]);
  });

  it('parses only real dates and knows real zones', () => {
    expect(parseDate('2026-02-28')).to.deep.equal({ year: 2026, month: 2, day: 28 });
    for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', ''])
      expect(parseDate(bad), bad).to.equal(null);
    expect(isTimeZone('America/Chicago')).to.equal(true);
    expect(isTimeZone('Mars/Olympus')).to.equal(false);
  });
});
