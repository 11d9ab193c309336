// PBX Info and Listen Live through PbxService on both engines: creation defaults, feature codes, time zones,
// uniqueness of context and domain, and Listen Live's password rules; a refused change keeps what was saved.
import { expect } from 'chai';
import { DEFAULT_FEATURE_CODES } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { forEachEngine } from '../helpers/databases';
import { type Fixture, openFixture } from './fixture';
import { expectInvalid, expectUnchanged } from './support';

forEachEngine('PBX info and listen live', (engine) => {
  let fx: Fixture;
  before(async () => {
    fx = await openFixture(engine);
  });
  after(async () => fx?.w.close());

  const A = () => fx.a.pbx.id;

  describe('create (operator)', () => {
    it('fills the manual defaults; options given as undefined (CLI flags not passed) keep them', async () => {
      const pbx = await fx.s.pbx.create(SYSTEM, {
        context: 'fresh_1',
        name: 'Fresh',
        domain: undefined,
        timezone: undefined,
      });
      expect(pbx).to.deep.include({
        domain: 'fresh-1.pbx.local',
        timezone: 'America/New_York',
        parkingTimeout: 600,
        directedPickup: true,
        intercom: true,
        internationalCalling: false,
      });
      expect(pbx).to.not.have.any.keys('pin', 'phoneAdminPassword');
      const secrets = await fx.s.pbx.revealSecrets(SYSTEM, pbx.id);
      expect(secrets.pin).to.match(/^\d{6}$/);
      expect(secrets.phoneAdminPassword).to.match(/^[A-Za-z0-9]{12}$/);
      expect(pbx.featureCodes).to.deep.equal(DEFAULT_FEATURE_CODES);
      const ll = await fx.s.pbx.getListenLive(SYSTEM, pbx.id);
      expect(ll).to.deep.include({ mode: 'off', listenerIds: [], listenableIds: [] });
    });

    it('context and SIP domain are unique across PBXs', async () => {
      const before = JSON.stringify(await fx.s.pbx.list(SYSTEM));
      await expectInvalid(fx.s.pbx.create(SYSTEM, { context: 'pbx_a', name: 'Again' }), 'context', /already exists/);
      await expectInvalid(
        fx.s.pbx.create(SYSTEM, { context: 'other_1', name: 'Other', domain: 'PBX-A.pbx.local' }),
        'domain',
        /already used/,
      );
      await expectInvalid(fx.s.pbx.create(SYSTEM, { context: 'public', name: 'P' }), 'context', /reserved/);
      expect(JSON.stringify(await fx.s.pbx.list(SYSTEM))).to.equal(before);
    });

    it('time zone: any IANA zone, stored in canonical spelling; anything else refused', async () => {
      const pbx = await fx.s.pbx.create(SYSTEM, { context: 'tz_1', name: 'TZ', timezone: 'europe/paris' });
      expect(pbx.timezone).to.equal('Europe/Paris');
      await expectInvalid(fx.s.pbx.create(SYSTEM, { context: 'tz_2', name: 'TZ', timezone: 'Paris' }), 'timezone');
    });
  });

  describe('update (PBX Info)', () => {
    it('saves caller ID defaults, features and feature codes', async () => {
      const pbx = await fx.s.pbx.update(SYSTEM, A(), {
        callerIdNumber: '+1 312 555 0100',
        callerIdName: 'ACME DENTAL',
        sevenDigitDialing: true,
        areaCode: '312',
        internationalCalling: 'yes',
        directoryByFirstName: true,
        featureCodes: { directedPickup: '*88', parkSlotsCount: 4 },
        timezone: 'America/Denver',
      });
      expect(pbx).to.deep.include({
        callerIdNumber: '13125550100',
        callerIdName: 'ACME DENTAL',
        sevenDigitDialing: true,
        areaCode: '312',
        internationalCalling: true,
        timezone: 'America/Denver',
      });
      expect(pbx.featureCodes).to.deep.equal({ ...DEFAULT_FEATURE_CODES, directedPickup: '*88', parkSlotsCount: 4 });
    });

    it('a partial update keeps the other settings, feature codes included', async () => {
      const pbx = await fx.s.pbx.update(SYSTEM, A(), { name: 'Acme Renamed', featureCodes: { park: '*71' } });
      expect(pbx).to.deep.include({ name: 'Acme Renamed', areaCode: '312', timezone: 'America/Denver' });
      expect(pbx.featureCodes).to.deep.equal({
        ...DEFAULT_FEATURE_CODES,
        directedPickup: '*88',
        parkSlotsCount: 4,
        park: '*71',
      });
    });

    it('refused changes leave the PBX as saved', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { areaCode: null }), 'areaCode', /7-digit dialing needs/);
        await expectInvalid(
          fx.s.pbx.update(SYSTEM, A(), { featureCodes: { intercom: '*88' } }),
          'featureCodes.intercom',
        );
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { featureCodes: { evil: '*9' } }), 'featureCodes.evil');
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { parkingTimeout: 10 }), 'parkingTimeout');
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { timezone: 'Mars/Olympus' }), 'timezone');
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { pin: '12' }), 'pin');
        await expectInvalid(fx.s.pbx.update(SYSTEM, A(), { domain: 'pbx-b.pbx.local' }), 'domain', /already used/);
      });
    });
  });

  describe('listen live', () => {
    it('password of 3 or more digits when on; letters never', async () => {
      await expectUnchanged(fx.s, fx.pbxIds, async () => {
        await expectInvalid(fx.s.pbx.setListenLive(SYSTEM, A(), { mode: 'listen' }), 'password', /is required/);
        await expectInvalid(
          fx.s.pbx.setListenLive(SYSTEM, A(), { mode: 'listen', password: '12' }),
          'password',
          /3 to 12/,
        );
        await expectInvalid(
          fx.s.pbx.setListenLive(SYSTEM, A(), { mode: 'barge', password: '12a' }),
          'password',
          /digits only/,
        );
        await expectInvalid(fx.s.pbx.setListenLive(SYSTEM, A(), { mode: 'loud', password: '123' }), 'mode');
      });
      const ll = await fx.s.pbx.setListenLive(SYSTEM, A(), {
        mode: 'both',
        password: '123',
        listenerIds: [fx.a.ext['201'].id],
        listenableIds: `${fx.a.ext['202'].id}`,
      });
      expect(ll).to.deep.include({ mode: 'both', passwordSet: true, listenerIds: [fx.a.ext['201'].id] });
      expect(ll).to.not.have.property('password');
      expect(await fx.s.pbx.revealListenLivePassword(SYSTEM, A())).to.equal('123');
      expect(ll.listenableIds).to.deep.equal([fx.a.ext['202'].id]);
    });

    it('a listener extension cannot be deleted while listed', async () => {
      const err = await fx.s.objects.delete(SYSTEM, A(), 'extensions', fx.a.ext['201'].id).catch((e) => e);
      expect(err?.name).to.equal('ConflictError');
      expect(err.referrers).to.include('listen live (users who may listen)');
    });
  });
});
