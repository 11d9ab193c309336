// Feature codes through the services, both directions: a code that collides is refused on the PBX settings, and an
// extension, mailbox, queue or conference room whose number would collide with a code or a park slot is refused too.
import { expect } from 'chai';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';
import { expectInvalid, expectUnchanged } from './support';

forEachEngine('feature code collisions', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const pbx = () => fx.a.pbx.id;
  const setCodes = (featureCodes: Record<string, unknown>) => fx.s.pbx.update(SYSTEM, pbx(), { featureCodes });
  const newExtension = (number: string) =>
    fx.s.objects.create(
      SYSTEM,
      pbx(),
      'extensions',
      { number, name: 'New', e911LocationId: fx.a.locationId },
      { sipPassword: 'abcdefABCDEF12' },
    );

  it('refuses a code of * alone, and codes where one would swallow the other', async () => {
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(setCodes({ intercom: '*' }), 'featureCodes.intercom', /1 to 4 digits/);
      await expectInvalid(
        setCodes({ intercom: '*4' }),
        'featureCodes.intercom',
        /\*41 \(agent login\) starts with \*4/,
      );
      await expectInvalid(setCodes({ checkVoicemail: '*201' }), 'featureCodes.checkVoicemail', /mailbox 201/);
      await expectInvalid(
        setCodes({ parkSlotsStart: 200, parkSlotsCount: 5 }),
        'featureCodes.parkSlotsStart',
        /extension 201/,
      );
    });
  });

  it('refuses an extension, conference room or queue on a park slot, and a mailbox whose * + number is a code', async () => {
    await expectUnchanged(fx.s, fx.pbxIds, async () => {
      await expectInvalid(newExtension('701'), 'number', /park slot 1 of 8/);
      await expectInvalid(
        fx.s.objects.create(SYSTEM, pbx(), 'conferences', { number: '702' }),
        'number',
        /park slot 2/,
      );
      await expectInvalid(
        fx.s.objects.create(SYSTEM, pbx(), 'queues', { name: 'Parked', number: '703' }),
        'number',
        /park slot 3/,
      );
      await expectInvalid(
        fx.s.objects.create(SYSTEM, pbx(), 'mailboxes', { number: '98', name: 'Box', password: '4321' }),
        'number',
        /\*98 would be both recording the greeting of mailbox 98/,
      );
      await expectInvalid(
        fx.s.objects.update(SYSTEM, pbx(), 'extensions', fx.a.ext['202'].id, { number: '705' }),
        'number',
        /park slot 5/,
      );
    });
  });

  it('after moving the codes, the numbers they freed are accepted', async () => {
    await setCodes({ parkSlotsStart: 901, checkVoicemail: '*97' });
    const ext = await newExtension('701');
    expect(ext.number).to.equal('701');
    await fx.s.objects.create(SYSTEM, pbx(), 'mailboxes', { number: '98', name: 'Box', password: '4321' });
    await expectInvalid(setCodes({ checkVoicemail: '*98' }), 'featureCodes.checkVoicemail', /mailbox 98/);
  });
});
