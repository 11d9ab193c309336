// Activity search on both engines: each filter against hand-built calls of a Chicago PBX (around the 8 March 2026
// DST change), keyset pages that neither shift nor repeat while calls arrive, and what an employee may see.
import { expect } from 'chai';
import type { Actor } from '../../src/services/actor';
import { SYSTEM } from '../../src/services/actor';
import { callRow, incoming, insertCalls, outgoing } from '../helpers/call-rows';
import { forEachEngine } from '../helpers/databases';
import { makePbx, openWorld, type TestWorld } from '../helpers/services';
import { expectForbidden, expectInvalid } from './support';

forEachEngine('Activity search', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  let otherPbxId: number;
  let employee: Actor;
  const uuids: Record<string, string> = {};

  before(async () => {
    w = await openWorld(engine);
    const made = await makePbx(w.services, 'chi'); // America/Chicago, extensions 201 and 202
    pbxId = made.pbx.id;
    otherPbxId = (await makePbx(w.services, 'other')).pbx.id;
    employee = {
      kind: 'user',
      userId: 99,
      pbxId,
      type: 'employee',
      extensionId: made.ext['202'].id,
      permissions: ['activity'],
    };
    const rows = {
      // 7 March 23:30 CST: the evening before the change (05:30Z on the 8th).
      lateSaturday: incoming(pbxId, '2026-03-08T05:30:00Z', { calleeExtension: '201' }),
      // 8 March 01:59 CST, then 03:01 CDT: two minutes apart in real time.
      beforeJump: outgoing(pbxId, '2026-03-08T07:59:00Z', { extensionNumber: '202' }),
      afterJump: callRow(pbxId, { at: '2026-03-08T08:01:00Z', extensionNumber: '201', calleeExtension: '202' }),
      // 8 March 23:59:59 CDT: still the 8th.
      lastSecond: incoming(pbxId, '2026-03-09T04:59:59Z', { calleeExtension: '202', remoteNumber: '6125550123' }),
      nextDay: outgoing(pbxId, '2026-03-09T05:00:00Z'),
      // Another PBX, same numbers: never shown here.
      stranger: incoming(otherPbxId, '2026-03-08T12:00:00Z', { calleeExtension: '201' }),
    };
    await insertCalls(w.orm, Object.values(rows));
    for (const [k, r] of Object.entries(rows)) uuids[k] = r.uuid;
  });
  after(() => w?.close());

  const search = async (q: Record<string, unknown>, actor: Actor = SYSTEM, id = pbxId) =>
    w.services.activity.search(actor, id, q);
  const names = async (q: Record<string, unknown>, actor: Actor = SYSTEM) => {
    const page = await search(q, actor);
    return page.calls.map((c) => Object.entries(uuids).find(([, u]) => u === c.uuid)?.[0]);
  };

  it('finds the calls of a local day, newest first, with times in the PBX zone across the DST change', async () => {
    expect(await names({ from: '2026-03-08', to: '2026-03-08' })).to.deep.equal([
      'lastSecond',
      'afterJump',
      'beforeJump',
    ]);
    const page = await search({ from: '2026-03-08', to: '2026-03-08' });
    expect(page.timezone).to.equal('America/Chicago');
    expect(page.calls.map((c) => c.start)).to.deep.equal([
      '2026-03-08T23:59:59-05:00',
      '2026-03-08T03:01:00-05:00',
      '2026-03-08T01:59:00-06:00',
    ]);
    expect(page.query).to.deep.include({ from: '2026-03-08', to: '2026-03-08' });
    expect(page.query.range).to.deep.equal({ start: '2026-03-08T00:00:00-06:00', end: '2026-03-09T00:00:00-05:00' });
    expect(await names({ to: '2026-03-07' })).to.deep.equal(['lateSaturday']);
    expect(await names({ from: '2026-03-08T01:00', to: '2026-03-08T03:01' })).to.deep.equal([
      'afterJump',
      'beforeJump',
    ]);
  });

  it('filters by direction (both includes internal calls), extension (placing or reached) and number', async () => {
    expect(await names({ direction: 'incoming' })).to.deep.equal(['lastSecond', 'lateSaturday']);
    expect(await names({ direction: 'outgoing' })).to.deep.equal(['nextDay', 'beforeJump']);
    expect(await names({ direction: 'internal' })).to.deep.equal(['afterJump']);
    expect(await names({})).to.have.length(5);
    expect(await names({ extension: '202' })).to.deep.equal(['lastSecond', 'afterJump', 'beforeJump']);
    expect(await names({ extension: '202', direction: 'incoming' })).to.deep.equal(['lastSecond']);
    expect(await names({ number: '(612) 555-0123' })).to.deep.equal(['nextDay', 'lastSecond', 'beforeJump']);
    expect(await names({ number: '+1 312 555 1000', to: '2026-03-08' })).to.deep.equal([
      'lastSecond',
      'beforeJump',
      'lateSaturday',
    ]);
    expect(await names({ number: '6125550123', extension: '201' })).to.deep.equal(['nextDay']);
    const call = (await search({ direction: 'incoming', to: '2026-03-07' })).calls[0];
    expect(call).to.deep.include({
      direction: 'incoming',
      callerNumber: '7735550199',
      phoneNumber: '3125551000',
      remoteNumber: '7735550199',
      calleeExtension: '201',
      callerExtension: null,
      durationSec: 60,
      disposition: 'answered',
      end: '2026-03-07T23:31:00-06:00',
    });
  });

  it('pages by keyset: calls arriving between pages (even at the same instant) neither shift nor repeat rows', async () => {
    const base = Date.parse('2026-04-01T15:00:00Z');
    const batch = Array.from({ length: 10 }, (_, i) =>
      callRow(pbxId, { at: new Date(base + Math.floor(i / 2) * 60_000).toISOString(), extensionNumber: '209' }),
    );
    await insertCalls(w.orm, batch);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: Record<string, unknown> = { extension: '209', limit: '3', ...(cursor && { cursor }) };
      const page = await search(q);
      seen.push(...page.calls.map((c) => c.uuid));
      cursor = page.nextCursor;
      pages++;
      // New calls land between pages: newer ones, and one at the very instant of the page's last row.
      await insertCalls(w.orm, [
        callRow(pbxId, { at: new Date(base + 3600_000 + pages).toISOString(), extensionNumber: '209' }),
        callRow(pbxId, { at: new Date(base + 4 * 60_000).toISOString(), extensionNumber: '209' }),
      ]);
    } while (cursor && pages < 10);
    expect(pages).to.equal(4);
    const originals = new Set(batch.map((r) => r.uuid));
    const fromBatch = seen.filter((u) => originals.has(u));
    expect(new Set(seen).size).to.equal(seen.length);
    expect(fromBatch).to.have.length(10);
  });

  it('an employee sees only calls of their own extension; other PBXs and modules are refused', async () => {
    expect(await names({ to: '2026-03-31' }, employee)).to.deep.equal(['lastSecond', 'afterJump', 'beforeJump']);
    expect(await names({ extension: '201', to: '2026-03-31' }, employee)).to.deep.equal([]);
    expect((await search({}, employee)).query.extension).to.equal('202');
    await expectForbidden(search({}, employee, otherPbxId));
    await expectForbidden(search({}, { ...employee, permissions: ['voicemail'] } as Actor));
    expect((await search({}, SYSTEM, otherPbxId)).calls.map((c) => c.uuid)).to.deep.equal([uuids.stranger]);
  });

  it('refuses a bad query with the field named', async () => {
    await expectInvalid(search({ from: 'last week' }), 'from', /YYYY-MM-DD/);
    await expectInvalid(search({ cursor: '%%%' }), 'cursor');
  });
});
