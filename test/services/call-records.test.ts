// The call-record intake on both engines: the captured a-legs become rows with what Activity shows, once per call
// (retries, concurrent posts), never touching the PBX revision; inbound and outbound calls carry numbers and route.
import { expect } from 'chai';
import { CallRecordSchema, PbxSchema } from '../../src/domain/model';
import { SYSTEM } from '../../src/services/actor';
import { ingestCallRecord } from '../../src/services/call-records';
import { capturedRecord, editedRecord } from '../helpers/cdr-posts';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('call-record intake', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  before(async () => {
    w = await openWorld(engine);
    const pbx = await w.services.pbx.create(SYSTEM, {
      context: 'acme',
      name: 'Acme',
      domain: 'acme.pbx.test',
      timezone: 'America/Chicago',
    });
    pbxId = pbx.id;
  });
  after(() => w?.close());
  const rows = () => w.orm.em.fork().find(CallRecordSchema, { pbxId }, { orderBy: { startedAt: 'asc' } });
  const byUuid = (uuid: string) => w.orm.em.fork().findOneOrFail(CallRecordSchema, { uuid });

  it('stores the captured a-legs with what Activity shows, and ignores b-legs and loopback legs', async () => {
    for (const f of [
      'cdr-answered-json_cdr-a-leg.http',
      'cdr-answered-json_cdr-b-leg.http',
      'cdr-busy-xml_cdr-a-leg.http',
      'cdr-busy-json_cdr-b-leg.http',
      'cdr-voicemail-json_cdr-a-leg.http',
      'cdr-voicemail-json_cdr-loopback-a.http',
      'cdr-voicemail-json_cdr-loopback-b.http',
    ])
      await ingestCallRecord(w.orm, capturedRecord(f));
    const stored = await rows();
    expect(stored.map((r) => r.disposition)).to.deep.equal(['answered', 'busy', 'voicemail']);
    expect(stored[0]).to.deep.include({
      uuid: '7966df81-42b0-4111-ba2a-f2d663b74887',
      direction: 'local',
      callerNumber: '1000',
      callerName: 'Extension 1000',
      destination: '1001',
      extensionNumber: '1000',
      calleeExtension: '1001',
      calleeNumber: '1001',
      phoneNumber: null,
      remoteNumber: null,
      durationSec: 8,
      billSec: 8,
      hangupCause: 'NORMAL_CLEARING',
      route: null,
    });
    expect(stored[0].startedAt.toISOString()).to.equal('2026-11-25T18:29:51.065Z');
    expect(stored[0].answeredAt?.toISOString()).to.equal('2026-11-25T18:29:51.625Z');
    expect(stored[0].endedAt.toISOString()).to.equal('2026-11-25T18:29:59.685Z');
    expect(stored[1]).to.deep.include({ calleeExtension: '1001', hangupCause: 'USER_BUSY', answeredAt: null });
    expect(stored[2]).to.deep.include({ calleeExtension: '1002', destination: '1002' });
  });

  it('stores a call once, whatever retries FreeSWITCH makes or however many posts arrive at once', async () => {
    const record = editedRecord('cdr-answered-json_cdr-a-leg.http', { start: new Date('2026-03-08T07:00:00Z') });
    const results = await Promise.all(Array.from({ length: 6 }, () => ingestCallRecord(w.orm, record)));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await ingestCallRecord(w.orm, record)).to.equal(false);
    expect(await w.orm.em.fork().count(CallRecordSchema, { uuid: record.uuid })).to.equal(1);
  });

  it('stores many different calls posted at once, each answered as stored (written together)', async () => {
    const records = Array.from({ length: 50 }, (_, i) =>
      editedRecord('cdr-busy-json_cdr-a-leg.http', { start: new Date(Date.UTC(2026, 3, 1, 9, i)) }),
    );
    const results = await Promise.all(records.map((r) => ingestCallRecord(w.orm, r)));
    expect(results.every(Boolean)).to.equal(true);
    expect(await w.orm.em.fork().count(CallRecordSchema, { uuid: { $in: records.map((r) => r.uuid) } })).to.equal(50);
  });

  it('leaves the PBX revision alone: a call record is not configuration, caches keyed on it stay warm', async () => {
    const before = (await w.orm.em.fork().findOneOrFail(PbxSchema, { id: pbxId })).revision;
    await ingestCallRecord(w.orm, editedRecord('cdr-busy-json_cdr-a-leg.http'));
    expect((await w.orm.em.fork().findOneOrFail(PbxSchema, { id: pbxId })).revision).to.equal(before);
  });

  it('an incoming call: the DID called, the outside caller (normalised), the extension it rang and the route', async () => {
    const record = editedRecord('cdr-answered-json_cdr-a-leg.http', {
      variables: {
        dialtone_direction: 'inbound',
        dt_called_number: '3125551000',
        dialtone_route: 'did_7',
        user_name: '',
        dialed_user: '201',
      },
      profile: {
        caller_id_number: '+1 (773) 555-0199',
        caller_id_name: 'Pat Caller',
        destination_number: '+13125551000',
      },
    });
    expect(await ingestCallRecord(w.orm, record)).to.equal(true);
    expect(await byUuid(record.uuid)).to.deep.include({
      direction: 'inbound',
      phoneNumber: '3125551000',
      remoteNumber: '7735550199',
      callerName: 'Pat Caller',
      extensionNumber: null,
      calleeExtension: '201',
      route: 'did_7',
    });
  });

  it('an outgoing call: the number dialed, the caller ID presented, the extension that dialed; odd routes are dropped', async () => {
    const record = editedRecord('cdr-answered-json_cdr-a-leg.http', {
      variables: {
        dialtone_direction: 'outbound',
        effective_caller_id_number: '3125551000',
        dialtone_route: 'outbound_nanp${x}',
        dialed_user: '',
      },
      profile: { destination_number: '011442079460958' },
    });
    await ingestCallRecord(w.orm, record);
    expect(await byUuid(record.uuid)).to.deep.include({
      direction: 'outbound',
      extensionNumber: '1000',
      calleeExtension: null,
      phoneNumber: '3125551000',
      remoteNumber: '442079460958',
      destination: '011442079460958',
      route: null,
    });
  });

  it('ignores records of PBXs it does not serve, and finds a PBX created a moment ago', async () => {
    const stranger = editedRecord('cdr-busy-json_cdr-a-leg.http', { variables: { domain_name: 'new.pbx.test' } });
    expect(await ingestCallRecord(w.orm, stranger)).to.equal(false);
    await w.services.pbx.create(SYSTEM, { context: 'newco', name: 'New', domain: 'new.pbx.test', timezone: 'UTC' });
    expect(await ingestCallRecord(w.orm, stranger)).to.equal(true);
  });
});
