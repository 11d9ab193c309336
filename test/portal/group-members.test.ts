// The Groups page's list buttons without JavaScript (Add, Remove, Move up, Move down) and the call-flow page's
// "date and time" question read back: pure functions of the posted form.
import { expect } from 'chai';
import { askedMoment } from '../../src/portal/modules/call-flow';
import { applyMemberOp } from '../../src/portal/modules/groups';

describe('group member buttons', () => {
  it('adds at the end without duplicates and removes the highlighted ones', () => {
    expect(applyMemberOp([1, 2], 'add', [3, 2, 4], [])).to.deep.equal([1, 2, 3, 4]);
    expect(applyMemberOp([1, 2, 3], 'remove', [], [1, 3])).to.deep.equal([2]);
  });

  it('moves a highlighted block up or down one place, stopping at the ends', () => {
    expect(applyMemberOp([1, 2, 3, 4], 'up', [], [3, 4])).to.deep.equal([1, 3, 4, 2]);
    expect(applyMemberOp([1, 2, 3, 4], 'up', [], [1, 3])).to.deep.equal([1, 3, 2, 4]);
    expect(applyMemberOp([1, 2, 3, 4], 'down', [], [1, 2])).to.deep.equal([3, 1, 2, 4]);
    expect(applyMemberOp([1, 2, 3, 4], 'down', [], [4])).to.deep.equal([1, 2, 3, 4]);
  });
});

describe('call flow: the date and time asked about', () => {
  const now = Date.UTC(2026, 11, 5, 20, 30); // Saturday 14:30 in Chicago
  it('is now, in the PBX zone, when nothing is asked', () => {
    expect(askedMoment({}, 'America/Chicago', now)).to.deep.equal({
      moment: { date: '2026-12-05', time: '14:30', weekday: 6 },
      asked: false,
      error: null,
    });
  });
  it('reads a date and time with its weekday, and refuses impossible ones with a plain message', () => {
    expect(askedMoment({ date: '2026-12-07', time: '18:05' }, 'America/Chicago', now).moment).to.deep.equal({
      date: '2026-12-07',
      time: '18:05',
      weekday: 1,
    });
    expect(askedMoment({ date: '2026-02-30', time: '10:00' }, 'UTC', now).error).to.match(/YYYY-MM-DD/);
    expect(askedMoment({ date: '2026-02-03', time: '24:00' }, 'UTC', now).error).to.match(/HH:MM/);
    expect(askedMoment({ date: ['x'] as unknown as string }, 'UTC', now).asked).to.equal(false);
  });
});
