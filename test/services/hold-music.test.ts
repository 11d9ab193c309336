// Hold music limits of the manual: one outbound group per PBX, 10 MB per track, 60 MB per PBX (tracks inserted directly).
import { expect } from 'chai';
import { HOLD_MUSIC_MAX_BYTES_PER_PBX, TRACK_MAX_BYTES } from '../../src/domain/rules/other-rules';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, insertAudio, openFixture } from './fixture';
import { expectConflict, expectInvalid, expectUnchanged } from './support';

const MB = 1024 * 1024;

forEachEngine('hold music limits', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const group = (input: Record<string, unknown>) => create(fx, 'hold-music', input);
  const update = (id: number, patch: Record<string, unknown>) =>
    fx.s.objects.update(SYSTEM, fx.a.pbx.id, 'hold-music', id, patch);

  it('the limits are the manual numbers', () => {
    expect(TRACK_MAX_BYTES).to.equal(10 * MB);
    expect(HOLD_MUSIC_MAX_BYTES_PER_PBX).to.equal(60 * MB);
  });

  it('a track of exactly 10 MB is accepted, one byte more is refused', async () => {
    const exact = await insertAudio(fx, fx.a, 10 * MB);
    const over = await insertAudio(fx, fx.a, 10 * MB + 1);
    const g = await group({ name: 'Ten', trackIds: [exact] });
    expect(g.trackIds).to.deep.equal([exact]);
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(group({ name: 'Eleven', trackIds: [over] }), 'trackIds', /larger than 10 MB/);
      await expectInvalid(update(g.id as number, { trackIds: [exact, over] }), 'trackIds', /larger than 10 MB/);
    });
    await fx.s.objects.delete(SYSTEM, fx.a.pbx.id, 'hold-music', g.id as number);
  });

  it('only hold-music uploads of this PBX can be tracks', async () => {
    const greeting = await insertAudio(fx, fx.a, 1000, 'greeting');
    const otherPbx = await insertAudio(fx, fx.b, 1000);
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(group({ name: 'G', trackIds: [greeting] }), 'trackIds', /not an uploaded hold-music file/);
      await expectInvalid(group({ name: 'G', trackIds: [otherPbx] }), 'trackIds', /of this PBX/);
    });
  });

  it('60 MB in total across the groups of a PBX; removing tracks is always possible', async () => {
    const tracks: number[] = [];
    for (let i = 0; i < 7; i++) tracks.push(await insertAudio(fx, fx.a, 10 * MB));
    const first = await group({ name: 'First', trackIds: tracks.slice(0, 4) });
    const second = await group({ name: 'Second', trackIds: tracks.slice(4, 6) });
    // 6 x 10 MB = 60 MB: at the limit, still fine. A seventh track goes over, in either group.
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(update(second.id as number, { trackIds: tracks.slice(4, 7) }), 'trackIds', /exceed 60 MB/);
      await expectInvalid(group({ name: 'Third', trackIds: [tracks[6]] }), 'trackIds', /exceed 60 MB/);
    });
    // A track shared by two groups counts once.
    const shared = await update(second.id as number, { trackIds: [...tracks.slice(4, 6), tracks[0]] });
    expect(shared.trackIds).to.have.length(3);
    // Removing tracks, and renaming a full group, keep working.
    await update(first.id as number, { name: 'First renamed' });
    const smaller = await update(first.id as number, { trackIds: tracks.slice(0, 1) });
    expect(smaller.trackIds).to.deep.equal([tracks[0]]);
    const third = await group({ name: 'Third', trackIds: [tracks[6]] });
    expect(third.trackIds).to.deep.equal([tracks[6]]);
  });

  it('one outbound group per PBX: switching needs the old one switched off first', async () => {
    const a = await group({ name: 'Out A', outbound: true });
    const b = await group({ name: 'Out B' });
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(update(b.id as number, { outbound: true }), 'outbound', /only one may be/);
    });
    await update(a.id as number, { outbound: false });
    expect((await update(b.id as number, { outbound: 'yes' })).outbound).to.equal(true);
  });

  it('an uploaded track still used by a group cannot be deleted', async () => {
    const t = await insertAudio(fx, fx.a, 1000);
    const g = await group({ name: 'Uses track', trackIds: [t] });
    await expectConflict(
      fx.s.objects.delete(SYSTEM, fx.a.pbx.id, 'audio', t),
      /hold music group "Uses track" \(track\)/,
    );
    await update(g.id as number, { trackIds: [] });
    await fx.s.objects.delete(SYSTEM, fx.a.pbx.id, 'audio', t);
  });
});
