// The time-frame evaluator (is it now during hours, in the PBX zone?) and the words a rule is shown in.
import { expect } from 'chai';
import type { TimeRule } from '../../src/domain/model';
import { describeRule, localMoment, ruleCovers, timeFrameState } from '../../src/domain/time-rules';

const weekdays: TimeRule = { days: [1, 2, 3, 4, 5], allDay: false, from: '09:00', to: '17:00' };
const saturday: TimeRule = { days: [6], allDay: true, from: '00:00', to: '24:00' };
const newYear: TimeRule = {
  days: [0, 1, 2, 3, 4, 5, 6],
  allDay: true,
  from: '00:00',
  to: '24:00',
  dateFrom: '2026-12-24',
  dateTo: '2027-01-02',
};

describe('time rules (time frames in the PBX zone)', () => {
  it('reads the wall clock of the zone: date, HH:MM and weekday', () => {
    // 2026-03-02 14:30 UTC is a Monday; 08:30 in Chicago (CST), 01:30 on Tuesday in Tokyo.
    const at = Date.UTC(2026, 2, 2, 14, 30);
    expect(localMoment('America/Chicago', at)).to.deep.equal({ date: '2026-03-02', time: '08:30', weekday: 1 });
    expect(localMoment('Asia/Tokyo', at)).to.deep.equal({ date: '2026-03-02', time: '23:30', weekday: 1 });
    expect(localMoment('Pacific/Kiritimati', at)).to.deep.equal({ date: '2026-03-03', time: '04:30', weekday: 2 });
  });

  const table: Array<[string, TimeRule, string, number, string, boolean]> = [
    ['a weekday inside the hours', weekdays, '2026-03-04', 3, '09:00', true],
    ['the last minute before the end', weekdays, '2026-03-04', 3, '16:59', true],
    ['the end time is outside (to is exclusive)', weekdays, '2026-03-04', 3, '17:00', false],
    ['before the start', weekdays, '2026-03-04', 3, '08:59', false],
    ['a weekend day', weekdays, '2026-03-07', 6, '10:00', false],
    ['all day: midnight', saturday, '2026-03-07', 6, '00:00', true],
    ['all day: the last minute', saturday, '2026-03-07', 6, '23:59', true],
    ['a date range: its first day', newYear, '2026-12-24', 4, '00:00', true],
    ['a date range: across the new year', newYear, '2027-01-01', 5, '12:00', true],
    ['a date range: its last day', newYear, '2027-01-02', 6, '23:59', true],
    ['a date range: the day after', newYear, '2027-01-03', 0, '12:00', false],
    ['a date range: the year before', newYear, '2025-12-25', 4, '12:00', false],
    [
      'seasonal hours: a weekday inside dates and hours',
      { ...weekdays, dateFrom: '2026-07-01', dateTo: '2026-08-31' },
      '2026-07-15',
      3,
      '10:00',
      true,
    ],
    [
      'seasonal hours: outside the dates',
      { ...weekdays, dateFrom: '2026-07-01', dateTo: '2026-08-31' },
      '2026-09-02',
      3,
      '10:00',
      false,
    ],
    ['no days never matches', { days: [], allDay: true, from: '00:00', to: '24:00' }, '2026-03-04', 3, '10:00', false],
  ];
  for (const [what, rule, date, weekday, time, expected] of table)
    it(`${what} → ${expected ? 'inside' : 'outside'}`, () =>
      expect(ruleCovers(rule, { date, weekday, time })).to.equal(expected));

  it('a time frame is inside when any rule covers the moment, and says which', () => {
    // Saturday 2026-03-07 10:00 in Chicago.
    const at = Date.UTC(2026, 2, 7, 16, 0);
    expect(timeFrameState([weekdays, saturday], 'America/Chicago', at)).to.deep.equal({
      inside: true,
      rule: 1,
      local: { date: '2026-03-07', time: '10:00', weekday: 6 },
      timezone: 'America/Chicago',
    });
    expect(timeFrameState([weekdays], 'America/Chicago', at).inside).to.equal(false);
    expect(timeFrameState([], 'America/Chicago', at)).to.include({ inside: false, rule: null });
  });

  it('follows daylight saving time: 09:00 local is 14:00 UTC in winter and 13:00 UTC in summer', () => {
    const winter = Date.UTC(2026, 0, 14, 14, 0); // Wednesday
    const summer = Date.UTC(2026, 6, 15, 13, 0); // Wednesday
    expect(timeFrameState([weekdays], 'America/New_York', winter).inside).to.equal(true);
    expect(timeFrameState([weekdays], 'America/New_York', summer).inside).to.equal(true);
    expect(timeFrameState([weekdays], 'America/New_York', summer - 60_000).inside).to.equal(false);
  });

  it('says a rule in words', () => {
    expect(describeRule(weekdays)).to.equal('Mon–Fri 09:00–17:00');
    expect(describeRule(saturday)).to.equal('Sat all day');
    expect(describeRule({ ...weekdays, days: [1, 3, 5] })).to.equal('Mon, Wed, Fri 09:00–17:00');
    expect(describeRule(newYear)).to.equal('2026-12-24 to 2027-01-02, every day all day');
  });
});
