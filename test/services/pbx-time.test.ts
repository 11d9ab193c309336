// localTime: a PBX's wall clock, remembered per minute, must equal a fresh Intl answer in every kind of zone —
// half- and quarter-hour offsets, both DST changes, an unknown zone (UTC) — and never mix zones up.
import { expect } from 'chai';
import { localTime } from '../../src/services/pbx-time';

const reference = new Map<string, Intl.DateTimeFormat>();

function fresh(epochMs: number, timeZone: string) {
  const parts: Record<string, string> = {};
  const f =
    reference.get(timeZone) ??
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
  reference.set(timeZone, f);
  for (const p of f.formatToParts(epochMs)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday,
  };
}

describe('PBX local time', () => {
  const zones = ['America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];

  it('equals a fresh Intl answer for 20,000 instants in six zones, asked twice (second from memory)', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const instants = Array.from(
      { length: 20_000 },
      () => Date.UTC(2020, 0, 1) + Math.floor(rnd() * 8 * 365 * 86_400_000),
    );
    for (const round of [1, 2])
      for (const [i, t] of instants.entries()) {
        const zone = zones[i % zones.length]!;
        expect(localTime(t, zone), `${new Date(t).toISOString()} ${zone} (round ${round})`).to.deep.equal(
          fresh(t, zone),
        );
      }
  });

  it('gets both New York DST changes of 2026 right to the minute', () => {
    // 2026-03-08 02:00 EST -> 03:00 EDT (07:00 UTC); 2026-11-01 02:00 EDT -> 01:00 EST (06:00 UTC).
    expect(localTime(Date.UTC(2026, 2, 8, 6, 59, 59), 'America/New_York').time).to.equal('01:59');
    expect(localTime(Date.UTC(2026, 2, 8, 7, 0, 0), 'America/New_York').time).to.equal('03:00');
    expect(localTime(Date.UTC(2026, 10, 1, 5, 59, 0), 'America/New_York').time).to.equal('01:59');
    expect(localTime(Date.UTC(2026, 10, 1, 6, 0, 0), 'America/New_York').time).to.equal('01:00');
  });

  it('keeps zones apart and answers an unknown zone in UTC', () => {
    const t = Date.UTC(2026, 11, 5, 23, 30);
    expect(localTime(t, 'Asia/Kolkata')).to.deep.include({ date: '2026-12-06', time: '05:00', weekday: 'Sun' });
    expect(localTime(t, 'America/New_York')).to.deep.include({ date: '2026-12-05', time: '18:30', weekday: 'Sat' });
    expect(localTime(t, 'Not/AZone')).to.deep.include({ date: '2026-12-05', time: '23:30' });
  });
});
