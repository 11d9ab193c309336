// The call-flow answer checked against a real FreeSWITCH 1.10 running the generated tree: calls into three phone
// numbers (inside a time frame, outside it, on a holiday) land in the conference room the Call flow page says they
// reach right now. Each branch ends in its own room, so `conference list` shows where each call went.
import { expect } from 'chai';
import { routeAt } from '../../src/domain/call-flow';
import { localMoment } from '../../src/domain/time-rules';
import { SYSTEM } from '../../src/services/actor';
import { makePbx } from '../helpers/services';
import { haveFreeswitchAndSipp, openSignallingWorld, type SignallingWorld } from './phone-signalling-world';

/** A zone where it is well away from midnight now, so "today" cannot change while the test runs. */
function zoneAwayFromMidnight(): string {
  for (const zone of ['America/Chicago', 'Europe/Berlin', 'Asia/Tokyo', 'Pacific/Auckland', 'America/Los_Angeles']) {
    const hour = Number(localMoment(zone, Date.now()).time.slice(0, 2));
    if (hour >= 1 && hour <= 22) return zone;
  }
  return 'UTC';
}

describe('call flow on a real FreeSWITCH: the branch the page names is the one the dialplan takes', function () {
  this.timeout(180_000);
  let world: SignallingWorld;
  const numbers: Record<'during' | 'after' | 'holiday', number> = { during: 0, after: 0, holiday: 0 };
  let ctx = '';
  let zone = '';

  before(async () => {
    if (!haveFreeswitchAndSipp()) throw new Error('FreeSWITCH and sipp must be installed for this test');
    world = await openSignallingWorld();
    const s = world.services;
    const acme = await makePbx(s, 'acme');
    ctx = acme.pbx.context;
    zone = zoneAwayFromMidnight();
    await s.pbx.update(SYSTEM, acme.pbx.id, { timezone: zone });
    const o = s.objects;
    const p = acme.pbx.id;
    const room = async (n: string) => (await o.create(SYSTEM, p, 'conferences', { number: n, musicOnHold: false })).id;
    const [r801, r802, r803] = [await room('801'), await room('802'), await room('803')];
    const today = localMoment(zone, Date.now());
    const frame = async (name: string, day: number) =>
      (
        await o.create(SYSTEM, p, 'time-frames', {
          name,
          rules: [{ days: [day], allDay: true }],
          during: `conference:${r801}`,
          after: `conference:${r803}`,
        })
      ).id;
    const inside = await frame('Today', today.weekday);
    const outside = await frame('Tomorrow', (today.weekday + 1) % 7);
    await o.create(SYSTEM, p, 'holidays', { name: 'Today off', date: today.date });
    await o.update(SYSTEM, p, 'numbers', acme.numberId, { routeTo: `time_frame:${inside}` });
    numbers.during = acme.numberId;
    numbers.after = (await o.create(SYSTEM, p, 'numbers', { number: '3125557701', routeTo: `time_frame:${outside}` }))
      .id as number;
    numbers.holiday = (
      await o.create(SYSTEM, p, 'numbers', {
        number: '3125557702',
        routeTo: `time_frame:${inside}`,
        ifHoliday: `conference:${r802}`,
      })
    ).id as number;
    expect([r801, r802, r803].every(Boolean)).to.equal(true);
    await world.start();
  });
  after(async () => world?.stop());

  for (const which of ['during', 'after', 'holiday'] as const) {
    it(`a call to the "${which}" number reaches the room the call flow names`, async () => {
      const snap = await world.services.snapshot((await world.services.pbx.byContext(ctx)).id);
      const route = routeAt(snap, { kind: 'phone_number', id: numbers[which] }, localMoment(zone, Date.now()));
      const last = route[route.length - 1]?.node;
      const expected = /^Conference room (\d+)$/.exec(last?.title ?? '')?.[1];
      expect(expected, JSON.stringify(route.map((r) => r.node.title))).to.equal(
        { during: '801', after: '803', holiday: '802' }[which],
      );
      await world.api(`originate loopback/dt_did_${numbers[which]}/${ctx} &park()`);
      let list = '';
      for (let i = 0; i < 50 && !list.includes(`${ctx}_`); i++) {
        await new Promise((r) => setTimeout(r, 200));
        list = await world.api('conference list');
      }
      const rooms = [...list.matchAll(new RegExp(`Conference ${ctx}_(\\d+)`, 'g'))].map((m) => m[1]);
      expect(rooms, list).to.deep.equal([expected]);
      await world.api('hupall NORMAL_CLEARING');
      for (let i = 0; i < 50 && (await world.api('conference list')).includes(`${ctx}_`); i++)
        await new Promise((r) => setTimeout(r, 200));
    });
  }
});
