// Destinations through the services: targets of every kind in the same PBX only, routing loops refused with the cycle
// named, and delete / renumber of anything referenced refused with the referrers listed, until the references go.
import { expect } from 'chai';
import { OBJECT_KINDS, type ObjectKind } from '../../src/domain/destination';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { create, type Fixture, newNumber, openFixture, validInput } from './fixture';
import { expectConflict, expectInvalid, expectUnchanged } from './support';

type Input = Record<string, unknown>;

forEachEngine('destinations and references', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const A = () => fx.a.pbx.id;
  const update = (kind: string, id: number, patch: Input) => fx.s.objects.update(SYSTEM, A(), kind, id, patch);
  const remove = (kind: string, id: number) => fx.s.objects.delete(SYSTEM, A(), kind, id);
  const make = async (kind: string, over: Input = {}) =>
    (await create(fx, kind, { ...(await validInput(kind, fx)), ...over })).id as number;

  /** One object of each destination target kind, in the given PBX. */
  async function targets(inB = false): Promise<Record<ObjectKind, number>> {
    const pbx = inB ? fx.b : fx.a;
    const mk = async (kind: string) => (await create(fx, kind, await validInput(kind, fx, pbx), pbx)).id as number;
    return {
      extension: pbx.ext['201'].id,
      mailbox: pbx.ext['201'].mailboxId,
      phone_number: pbx.numberId,
      sip_trunk: await mk('trunks'),
      group: await mk('groups'),
      auto_attendant: await mk('attendants'),
      time_frame: await mk('time-frames'),
      conference: await mk('conferences'),
      conference_hub: await mk('conference-hubs'),
      queue: await mk('queues'),
    };
  }

  describe('targets', () => {
    it('every object kind can be a target, from an object or from "kind:id" text', async () => {
      const t = await targets();
      for (const kind of OBJECT_KINDS) {
        const row = await create(fx, 'time-frames', {
          ...(await validInput('time-frames', fx)),
          during: { kind, id: t[kind] },
          after: `${kind}:${t[kind]}`,
        });
        expect(row.during, kind).to.deep.equal({ kind, id: t[kind] });
        expect(row.after, kind).to.deep.equal({ kind, id: t[kind] });
      }
    });

    it('a target of another PBX is refused for every kind, as if it did not exist', async () => {
      const inB = await targets(true);
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        for (const kind of OBJECT_KINDS) {
          const err = await expectInvalid(
            create(fx, 'numbers', { ...(await validInput('numbers', fx)), routeTo: { kind, id: inB[kind] } }),
            'routeTo',
          );
          expect(err.fields.routeTo, kind).to.equal(`${kind} #${inB[kind]} does not exist in this PBX`);
        }
      });
    });

    it('every value kind is accepted where the manual allows it', async () => {
      const row = await create(fx, 'extensions', {
        ...(await validInput('extensions', fx)),
        routing: {
          tryFirst: 'find_me',
          ifBusy: 'outside_number:3125550199',
          ifNotAnswered: 'custom:*98',
          ifOffline: 'company_directory',
        },
        findMe: { fallback: 'check_voicemail' },
      });
      expect(row.routing).to.deep.equal({
        tryFirst: { kind: 'find_me' },
        ifBusy: { kind: 'outside_number', number: '3125550199' },
        ifNotAnswered: { kind: 'custom', value: '*98' },
        ifOffline: { kind: 'company_directory' },
      });
      await expectInvalid(make('groups', { afterRing: 'phone' }), 'afterRing', /only available/);
      await expectInvalid(make('queues', { timeout: 'find_me' }), 'timeout', /only available/);
    });
  });

  describe('routing loops', () => {
    it('time frame -> attendant (timeout) -> time frame is refused, naming the cycle', async () => {
      const menu = await make('attendants', { name: 'Loop menu' });
      const hours = await make('time-frames', { name: 'Loop hours', during: `auto_attendant:${menu}` });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectInvalid(
          update('attendants', menu, { buttons: { timeout: `time_frame:${hours}` } }),
          'routing',
        );
        expect(err.fields.routing).to.equal(
          'this creates a routing loop: auto attendant "Loop menu" → time frame "Loop hours" → auto attendant "Loop menu"',
        );
      });
    });

    it('extension A try-first -> B try-first -> A is refused', async () => {
      const a = await make('extensions', { number: '7101', name: 'A' });
      const b = await make('extensions', { number: '7102', name: 'B', routing: { tryFirst: `extension:${a}` } });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectInvalid(
          update('extensions', a, { routing: { tryFirst: `extension:${b}` } }),
          'routing',
        );
        expect(err.fields.routing).to.match(/extension 7101 → extension 7102 → extension 7101/);
      });
    });

    it('group after-ring -> time frame -> group is refused', async () => {
      const group = await make('groups', { name: 'Loop group' });
      const frame = await make('time-frames', { name: 'Loop frame', after: `group:${group}` });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectInvalid(update('groups', group, { afterRing: `time_frame:${frame}` }), 'routing');
        expect(err.fields.routing).to.match(/group "Loop group" → time frame "Loop frame" → group "Loop group"/);
      });
    });

    it('a time frame routing to itself, and a phone number to itself, are loops', async () => {
      const frame = await make('time-frames');
      await expectInvalid(update('time-frames', frame, { during: `time_frame:${frame}` }), 'routing', /loop/);
      const number = await newNumber(fx);
      await expectInvalid(update('numbers', number, { routeTo: `phone_number:${number}` }), 'routing', /loop/);
    });

    it('an attendant button back to the same attendant is allowed ("press 9 to hear these options again")', async () => {
      const menu = await make('attendants', { name: 'Repeat menu' });
      const row = await update('attendants', menu, { buttons: { '9': `auto_attendant:${menu}` } });
      expect((row.buttons as Input)['9']).to.deep.equal({ kind: 'auto_attendant', id: menu });
    });

    it('routes that only meet after a ring (no answer) are not loops', async () => {
      const a = await make('extensions', { number: '7201' });
      const b = await make('extensions', { number: '7202', routing: { ifNotAnswered: `extension:${a}` } });
      await update('extensions', a, { routing: { ifNotAnswered: `extension:${b}` } });
    });
  });

  describe('delete and renumber of what is referenced', () => {
    it('an extension used by a group, a queue, a device and a phone number route', async () => {
      const ext = await make('extensions', { number: '7301', name: 'Shared' });
      const group = await make('groups', { name: 'Uses 7301', memberIds: [ext] });
      const queue = await make('queues', { name: 'Uses 7301', agentIds: [ext] });
      const number = await make('numbers', { routeTo: `extension:${ext}` });
      // Devices come from their own service with provisioning credentials: the same path, with those as `extra`.
      const device = await fx.s.objects.create(
        SYSTEM,
        A(),
        'devices',
        { mac: '00:04:f2:00:73:01', profileId: 'polycom-vvx450', extensionIds: [ext] },
        {
          provisioningUsername: 'prov7301',
          provisioningHa1: 'a'.repeat(32),
          appTokenSalt: 'c'.repeat(32),
          appTokenHash: 'b'.repeat(64),
        },
      );
      const numberRow = (await fx.s.objects.get(SYSTEM, A(), 'numbers', number)) as Input;
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectConflict(
          remove('extensions', ext),
          /cannot delete extension 7301: it is still used by/,
        );
        expect(err.referrers).to.deep.equal([
          `phone number ${numberRow.number} (routeTo)`,
          'group "Uses 7301" (member)',
          'queue "Uses 7301" (agent)',
          'device 0004f2007301 (line)',
        ]);
        const renumber = await expectConflict(
          update('extensions', ext, { number: '7399' }),
          /cannot renumber extension 7301/,
        );
        expect(renumber.referrers).to.have.length(4);
      });
      // The same number typed differently is not a renumber.
      await update('extensions', ext, { number: ' 7301 ', name: 'Shared line' });
      await update('groups', group, { memberIds: [fx.a.ext['201'].id] });
      await update('queues', queue, { agentIds: [] });
      await update('numbers', number, { routeTo: 'hangup' });
      await remove('devices', device.id as number);
      await update('extensions', ext, { number: '7399' });
      await remove('extensions', ext);
      expect((await fx.s.snapshot(A())).extensions.some((e) => e.id === ext)).to.equal(false);
    });

    it('a mailbox used by an extension, then freed', async () => {
      const box = await make('mailboxes', { number: '7401' });
      const ext = await make('extensions', { number: '7401', mailboxId: box });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectConflict(remove('mailboxes', box), /cannot delete mailbox 7401/);
        // No-answer and busy default to the mailbox, so the routing refers to it as well.
        expect(err.referrers).to.deep.equal([
          'extension 7401 (ifBusy)',
          'extension 7401 (ifNotAnswered)',
          'extension 7401 (ifOffline)',
          'extension 7401 (voice mailbox)',
        ]);
        await expectConflict(update('mailboxes', box, { number: '7499' }), /cannot renumber mailbox 7401/);
      });
      await update('extensions', ext, {
        mailboxId: null,
        routing: { ifBusy: 'hangup', ifNotAnswered: 'hangup', ifOffline: 'hangup' },
      });
      await update('mailboxes', box, { number: '7499' });
      await remove('mailboxes', box);
    });

    it('a phone number used as an E911 callback number, then freed', async () => {
      const number = await newNumber(fx);
      const site = await make('e911', { name: 'Annex', callbackNumberId: number });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectConflict(remove('numbers', number));
        expect(err.referrers).to.deep.equal(['E911 location "Annex" (callback number)']);
      });
      await remove('e911', site);
      await remove('numbers', number);
    });

    it('an E911 location used by an extension, then freed', async () => {
      const site = await make('e911', { name: 'Warehouse' });
      const ext = await make('extensions', { number: '7501', e911LocationId: site });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectConflict(remove('e911', site), /cannot delete E911 location "Warehouse"/);
        expect(err.referrers).to.deep.equal(['extension 7501 (E911 location)']);
      });
      await update('extensions', ext, { e911LocationId: fx.a.locationId });
      await remove('e911', site);
    });

    it('a hold music group used by a number, then freed', async () => {
      const music = await make('hold-music', { name: 'Strings' });
      const number = await make('numbers', { holdMusicGroupId: music });
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        const err = await expectConflict(remove('hold-music', music), /hold music group "Strings"/);
        expect(err.referrers).to.have.length(1);
        expect(err.referrers[0]).to.match(/^phone number \d+ \(hold music\)$/);
      });
      await update('numbers', number, { holdMusicGroupId: null });
      await remove('hold-music', music);
    });

    it('a time frame used by a phone number route, an attendant used by a time frame', async () => {
      const menu = await make('attendants', { name: 'Front' });
      const frame = await make('time-frames', { name: 'Front hours', during: `auto_attendant:${menu}` });
      const number = await make('numbers', { routeTo: `time_frame:${frame}` });
      await expectConflict(remove('attendants', menu), /time frame "Front hours" \(during\)/);
      await expectConflict(remove('time-frames', frame), /\(routeTo\)/);
      await remove('numbers', number);
      await remove('time-frames', frame);
      await remove('attendants', menu);
    });

    it('objects nothing points at delete at once; a missing id is NotFound', async () => {
      for (const kind of ['holidays', 'call-blocks', 'conference-hubs', 'trunks']) await remove(kind, await make(kind));
      const err = await fx.s.objects.delete(SYSTEM, A(), 'holidays', 999999).catch((e) => e);
      expect(err?.name).to.equal('NotFoundError');
    });
  });
});
