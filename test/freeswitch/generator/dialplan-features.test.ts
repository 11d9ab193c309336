// Dialplan module, feature by feature: 911, phone outcomes, call waiting, # transfer, intercom, listen live,
// outbound routes and blocks, parking, Find Me, agents, recording by phone.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import { intercomAlertInfo, intercomCallInfo } from '../../../src/freeswitch/generator/dialplan';
import { setAll } from '../../../src/freeswitch/generator/dialplan/dsl';
import type { XmlElement } from '../../../src/freeswitch/xml-strict';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import {
  actionsOf,
  afterPhone,
  attr,
  callBlocks,
  conditionsOf,
  dialplanTree,
  expandField,
  extensionNamed,
  findMe,
  hasExtension,
  hunt,
  listenLive,
  OPTS,
  parseTree,
  sevenDigit,
} from './dialplan-support';

const FIXTURES = new URL('../../fixtures/freeswitch/', import.meta.url).pathname;

describe('dialplan generator: features', function () {
  this.timeout(120_000);
  let demo: PbxSnapshot;
  const docsOf = (snap: PbxSnapshot, opts = OPTS) => parseTree(dialplanTree([snap], opts));
  const tweak = (f: (s: PbxSnapshot) => void): PbxSnapshot => {
    const s = structuredClone(demo);
    f(s);
    return s;
  };

  before(async () => {
    demo = await demoSnapshot();
  });

  describe('911', () => {
    it('is the first file, never limited or blocked, and presents the E911 callback number', () => {
      const tree = dialplanTree([demo]);
      const files = [...tree.keys()].filter((p) => p.startsWith('dialplan/demo/'));
      expect(files[0]).to.equal('dialplan/demo/00_emergency.xml');
      const acts = actionsOf(extensionNamed(docsOf(demo), 'emergency_911'));
      expect(acts.some((a) => a.startsWith('limit'))).to.equal(false);
      expect(acts).to.include('set effective_caller_id_number=$1');
      expect(hunt(docsOf(demo), 'demo', '911')).to.equal('emergency_911');
    });

    it('tries the global emergency gateway first, then the PBX trunk', async () => {
      const snap = await demoSnapshot(findMe);
      const acts = actionsOf(
        extensionNamed(docsOf(snap, { ...OPTS, emergencyGateway: 'e911_provider' }), 'emergency_911'),
      );
      expect(acts).to.include('bridge sofia/gateway/e911_provider/911|sofia/gateway/demo_carrier/911');
    });

    it('with no way out says so with a cause instead of ringing nothing', () => {
      expect(actionsOf(extensionNamed(docsOf(demo), 'emergency_911'))).to.include('hangup NO_ROUTE_DESTINATION');
    });
  });

  describe('extension routing', () => {
    it('sets the phone step variables with one multiset, and falls back to sets when a value has whitespace', () => {
      expect(
        setAll([
          ['a', '1'],
          ['b', '%(2000,4000,440,480)'],
        ]),
      ).to.deep.equal([{ app: 'multiset', data: 'a=1 b=%(2000,4000,440,480)' }]);
      expect(
        setAll([
          ['a', '1'],
          ['b', 'two words'],
        ]),
      ).to.deep.equal([
        { app: 'set', data: 'a=1' },
        { app: 'set', data: 'b=two words' },
      ]);
      expect(setAll([['a', '1']])).to.deep.equal([{ app: 'set', data: 'a=1' }]);
    });

    it('rings the phone for its seconds to ring, then maps the outcome to busy / offline / not answered', () => {
      const docs = docsOf(demo);
      const ext = demo.extensions.find((e) => e.number === '101')!;
      expect(hunt(docs, 'demo', '101')).to.equal('extension_101');
      expect(hunt(docs, 'demo', `dt_phone_${ext.id}`)).to.equal('extension_101');
      const acts = actionsOf(extensionNamed(docs, 'extension_101'));
      expect(acts).to.include('set call_timeout=20');
      expect(acts).to.include('bridge user/101@demo.dialtone.test');
      const routes = `${ext.id}/dt_vm_${ext.mailboxId}_busy/dt_vm_${ext.mailboxId}/dt_vm_${ext.mailboxId}`;
      expect(acts).to.include(`set dt_phone_routes=${routes}`);
      const result = `dt_phone_${ext.id}_result`;
      const outcome = (d: string) => hunt(docs, 'demo', result, { originate_disposition: d, dt_phone_routes: routes });
      expect(outcome('USER_BUSY')).to.equal('dt_phone_result_busy');
      expect(outcome('CALL_REJECTED')).to.equal('dt_phone_result_busy');
      expect(outcome('USER_NOT_REGISTERED')).to.equal('dt_phone_result_offline');
      expect(outcome('SUBSCRIBER_ABSENT')).to.equal('dt_phone_result_offline');
      expect(outcome('NO_ANSWER')).to.equal('dt_phone_result_noanswer');
      expect(outcome('ALLOTTED_TIMEOUT')).to.equal('dt_phone_result_noanswer');
      // The phone step leaves its routes on the channel; the shared step picks one and checks the id it names.
      expect(afterPhone(docs, 'demo', ext.id, 'USER_BUSY')).to.equal(`transfer dt_vm_${ext.mailboxId}_busy XML demo`);
      expect(afterPhone(docs, 'demo', ext.id, 'USER_NOT_REGISTERED')).to.equal(
        `transfer dt_vm_${ext.mailboxId} XML demo`,
      );
      expect(afterPhone(docs, 'demo', ext.id, 'NO_ANSWER')).to.equal(`transfer dt_vm_${ext.mailboxId} XML demo`);
      // dt_vm_<id>_busy is answered by the mailbox's extension even when it has no busy greeting of its own.
      expect(hunt(docs, 'demo', `dt_vm_${ext.mailboxId}_busy`)).to.equal(`dt_vm_${ext.mailboxId}`);
      // Routes another extension left on the channel never apply to this one.
      const other = demo.extensions.find((e) => e.number === '102')!;
      const step = extensionNamed(docs, 'dt_phone_result_noanswer');
      const check = conditionsOf(step).at(-1)!;
      const stale = `${other.id}/dt_vm_9_busy/dt_vm_9/dt_vm_9/${result}`;
      expect(new RegExp(attr(check, 'expression')).test(stale)).to.equal(false);
      expect(hunt(docs, 'demo', result, { dt_phone_routes: `${other.id}/a/b/c` })).to.equal(null);
    });

    it('compiles a non-phone try-first and keeps dt_phone_<id> for the phone', () => {
      const snap = tweak((s) => {
        s.extensions[0].routing.tryFirst = { kind: 'outside_number', number: '2125550111' };
      });
      const docs = docsOf(snap);
      expect(actionsOf(extensionNamed(docs, 'extension_101'))).to.deep.equal(['transfer 2125550111 XML demo']);
      expect(hunt(docs, 'demo', `dt_phone_${snap.extensions[0].id}`)).to.equal(`dt_phone_${snap.extensions[0].id}`);
    });

    it('turns "phone" in if-busy / not answered / offline into a hangup instead of a loop', () => {
      const snap = tweak((s) => {
        s.extensions[0].routing.ifBusy = { kind: 'phone' };
      });
      const docs = docsOf(snap);
      expect(afterPhone(docs, 'demo', snap.extensions[0].id, 'USER_BUSY')).to.equal(
        'transfer dt_hangup_USER_BUSY XML demo',
      );
      expect(hunt(docs, 'demo', 'dt_hangup_USER_BUSY')).to.equal('dt_hangup');
      expect(actionsOf(extensionNamed(docs, 'dt_hangup'))).to.deep.equal(['hangup $1']);
    });

    it('with call waiting off: one call at a time, its own calls counted, the next caller gets the busy route', () => {
      const snap = tweak((s) => {
        s.extensions[0].disableCallWaiting = true;
      });
      const docs = docsOf(snap);
      expect(actionsOf(extensionNamed(docs, 'extension_101'))).to.include(
        `limit hash demo ext_101 1 dt_vm_${snap.extensions[0].mailboxId}_busy XML demo`,
      );
      const setup = extensionNamed(docs, 'setup_no_call_waiting');
      expect(actionsOf(setup)).to.deep.equal(['limit hash demo ext_$1 -1']);
      expect(attr(conditionsOf(setup)[0], 'expression')).to.equal('^(101)$');
      expect(actionsOf(extensionNamed(docs, 'setup'))).to.include('set limit_ignore_transfer=true');
    });

    it('dial # to transfer binds # + first digit on both directions of the extension calls', () => {
      const snap = tweak((s) => {
        s.extensions[1].dialHashToTransfer = true;
      });
      const docs = docsOf(snap);
      const inbound = actionsOf(extensionNamed(docs, 'extension_102'));
      expect(inbound).to.include('set bind_meta_key=#');
      expect(inbound).to.include('bind_meta_app 7 b s execute_extension::dt_xfer_7 XML demo');
      const outbound = actionsOf(extensionNamed(docs, 'setup_hash_transfer'));
      expect(outbound).to.include('bind_meta_app 0 a s execute_extension::dt_xfer_0 XML demo');
      expect(hunt(docs, 'demo', 'dt_xfer_4')).to.equal('dt_xfer');
      expect(actionsOf(extensionNamed(docs, 'dt_xfer'))).to.include('transfer -bleg $1${dt_xfer_rest} XML demo');
      expect(hasExtension(docsOf(demo), 'dt_xfer')).to.equal(false);
    });
  });

  describe('intercom and pickup', () => {
    it('sends exactly the headers the captured FreeSWITCH INVITE carried (both Alert-Info fields in URI form)', () => {
      // Captured by test/e2e/intercom-alert-info.test.ts: what phone 1002 received when 1001 dialled *11002.
      const invite = readFileSync(`${FIXTURES}sip/sip-invite-intercom-dialtone.txt`).toString('latin1');
      const headers = (name: string) => [...invite.matchAll(new RegExp(`^${name}: (.*)\r$`, 'gm'))].map((m) => m[1]);
      expect([intercomCallInfo('acme.pbx.test')]).to.deep.equal(headers('Call-Info'));
      expect(headers('Alert-Info')).to.deep.equal([
        '<http://127.0.0.1>;info=alert-autoanswer;delay=0',
        '<Ring Answer>',
      ]);
      expect(intercomAlertInfo('127.0.0.1')).to.equal(headers('Alert-Info').join(', '));
      const acts = actionsOf(extensionNamed(docsOf(demo), 'intercom'));
      expect(acts).to.include('set sip_h_Call-Info=<sip:demo.dialtone.test>;answer-after=0');
      expect(acts).to.include(
        'export nolocal:alert_info=<http://127.0.0.1>;info=alert-autoanswer;delay=0, <Ring Answer>',
      );
      // Never the bare form: FreeSWITCH drops an Alert-Info that is not in <…> (sip-invite-intercom.txt).
      expect(acts.some((a) => /alert_info=Ring Answer/.test(a))).to.equal(false);
    });

    it('only exists when the PBX enables it, for existing extensions', () => {
      const docs = docsOf(demo);
      expect(hunt(docs, 'demo', '*1102')).to.equal('intercom');
      expect(hunt(docs, 'demo', '*8102')).to.equal('directed_pickup');
      expect(hunt(docs, 'demo', '*1999')).to.equal(null);
      const off = docsOf(tweak((s) => Object.assign(s.pbx, { intercom: false, directedPickup: false })));
      expect(hasExtension(off, 'intercom')).to.equal(false);
      expect(hasExtension(off, 'directed_pickup')).to.equal(false);
    });

    it('picks up only a call still ringing the extension', () => {
      const acts = actionsOf(extensionNamed(docsOf(demo), 'directed_pickup'));
      expect(acts).to.include('set intercept_unbridged_only=true');
      expect(acts).to.include('intercept ${hash(select/demo-last_dial_ext/$1)}');
      expect(actionsOf(extensionNamed(docsOf(demo), 'extension_101'))).to.include(
        'hash insert/demo-last_dial_ext/101/${uuid}',
      );
    });
  });

  describe('listen live', () => {
    let snap: PbxSnapshot;
    before(async () => {
      snap = await demoSnapshot(listenLive);
    });
    const mode = (m: 'off' | 'listen' | 'barge' | 'both') =>
      docsOf(
        (() => {
          const s = structuredClone(snap);
          s.listenLive!.mode = m;
          return s;
        })(),
      );

    it('follows the mode: off, listen (*33), barge (*34), both', () => {
      expect(hasExtension(mode('off'), 'listen_live')).to.equal(false);
      expect(hasExtension(mode('listen'), 'listen_live')).to.equal(true);
      expect(hasExtension(mode('listen'), 'barge_live')).to.equal(false);
      expect(hasExtension(mode('barge'), 'barge_live')).to.equal(true);
      expect(hasExtension(mode('barge'), 'listen_live')).to.equal(false);
      expect(hasExtension(mode('both'), 'listen_live') && hasExtension(mode('both'), 'barge_live')).to.equal(true);
    });

    it('rejects listeners not on the list and targets not listenable; asks the PIN, checks it on the next hunt', () => {
      const docs = mode('both');
      const first = actionsOf(extensionNamed(docs, 'listen_live'));
      expect(first).to.include('!hangup CALL_REJECTED');
      expect(first.some((a) => a.startsWith('play_and_get_digits') && a.endsWith('dt_live_denied'))).to.equal(true);
      const verify = (pin: string, who: string, target: string) =>
        hunt(docs, 'demo', 'dt_listen_live', { dt_live_pin: pin, dialtone_extension: who, dt_live_target: target });
      expect(verify('4321', '101', '102')).to.equal('dt_listen_live');
      const lines = actionsOf(extensionNamed(docs, 'dt_listen_live'));
      expect(lines).to.include('eavesdrop ${hash(select/demo-spymap/$1)}');
      expect(lines).to.include('set eavesdrop_enable_dtmf=false');
      expect(attr(conditionsOf(extensionNamed(docs, 'dt_listen_live'))[3], 'expression')).to.equal('^(102|103)$');
      const barge = actionsOf(extensionNamed(docs, 'dt_barge_live'));
      expect(barge).to.include('set eavesdrop_whisper_${hash(select/demo-spyside/$1)}=true');
      expect(attr(conditionsOf(extensionNamed(docs, 'dt_barge_live'))[1], 'expression')).to.equal('^4321$');
    });

    it('keeps the spy hashes only for the calls listen live can join', () => {
      const spyInserts = (docs: ReturnType<typeof docsOf>, name: string) =>
        actionsOf(extensionNamed(docs, name)).filter((a) => a.includes('-spy'));
      const on = mode('both');
      // The far side: extensions on the listenable list (102, 103), not 101.
      expect(spyInserts(on, 'extension_101')).to.deep.equal([]);
      expect(spyInserts(on, 'extension_102')).to.deep.equal([
        'hash insert/demo-spymap/102/${uuid}',
        'hash insert/demo-spyside/102/bleg',
      ]);
      // The calling side: the same extensions, when they place the call.
      const setup = extensionNamed(on, 'setup_calling_extension');
      expect(attr(conditionsOf(setup)[0], 'expression')).to.equal('^(102|103)$');
      // Listen live off: no spy writes at all (pickup's last-dial hash stays).
      const off = mode('off');
      expect(spyInserts(off, 'extension_102')).to.deep.equal([]);
      expect(hasExtension(off, 'setup_calling_extension')).to.equal(false);
      expect(actionsOf(extensionNamed(off, 'extension_102'))).to.include('hash insert/demo-last_dial_ext/102/${uuid}');
    });

    it('needs listeners, listenable extensions and a PIN of 3+ digits', () => {
      const empty = structuredClone(snap);
      empty.listenLive!.listenerIds = [];
      expect(hasExtension(docsOf(empty), 'listen_live')).to.equal(false);
      const short = structuredClone(snap);
      short.listenLive!.password = '12';
      expect(hasExtension(docsOf(short), 'listen_live')).to.equal(false);
    });
  });

  describe('outbound', () => {
    it('bars international calls when the PBX does not allow them, with a clear cause', async () => {
      const docs = docsOf(await demoSnapshot(findMe));
      expect(hunt(docs, 'demo', '011442071234567')).to.equal('outbound_international_barred');
      expect(hunt(docs, 'demo', '+442071234567')).to.equal('outbound_international_barred');
      expect(actionsOf(extensionNamed(docs, 'outbound_international_barred'))).to.deep.equal([
        'hangup OUTGOING_CALL_BARRED',
      ]);
    });

    it('routes NANP, N11, 7-digit and international over the first trunk, with its prefix and the path limit', async () => {
      const docs = docsOf(await demoSnapshot(sevenDigit));
      expect(hunt(docs, 'demo', '5550123')).to.equal('outbound_seven_digit');
      expect(actionsOf(extensionNamed(docs, 'outbound_seven_digit'))).to.deep.equal(['transfer 212$1 XML demo']);
      for (const n of ['2125550123', '12125550123', '+12125550123'])
        expect(hunt(docs, 'demo', n)).to.equal('outbound_nanp');
      const nanp = actionsOf(extensionNamed(docs, 'outbound_nanp'));
      expect(nanp).to.include('limit hash demo paths 6 !NORMAL_CIRCUIT_CONGESTION');
      expect(nanp).to.include('bridge sofia/gateway/demo_carrier/91$1');
      expect(nanp).to.include('set effective_caller_id_number=${outbound_caller_id_number}');
      expect(actionsOf(extensionNamed(docs, 'outbound_international'))).to.include(
        'bridge sofia/gateway/demo_carrier/9011$1',
      );
      expect(hunt(docs, 'demo', '411')).to.equal('outbound_n11');
      expect(hunt(docs, 'demo', '911')).to.equal('emergency_911');
    });

    it('without a trunk refuses with NO_ROUTE_DESTINATION', () => {
      expect(actionsOf(extensionNamed(docsOf(demo), 'outbound_nanp'))).to.deep.equal(['hangup NO_ROUTE_DESTINATION']);
    });

    it('blocks outbound numbers however they are dialed, leaves inbound blocks to the public context', async () => {
      const docs = docsOf(await demoSnapshot(callBlocks));
      for (const n of ['2125550177', '12125550177', '+12125550177', '5550177', '18005550199', '8005550199'])
        expect(hunt(docs, 'demo', n), n).to.equal('outbound_call_blocks');
      for (const n of ['011493012345678', '+493012345678', '493012345678', '976'])
        expect(hunt(docs, 'demo', n), n).to.equal('outbound_call_blocks');
      for (const n of ['2125550188', '2125550100', '101'])
        expect(hunt(docs, 'demo', n), n).not.to.equal('outbound_call_blocks');
      expect(actionsOf(extensionNamed(docs, 'outbound_call_blocks'))).to.include('hangup CALL_REJECTED');
    });
  });

  describe('parking', () => {
    it('parks in the PBX lot with its timeout, returns to the parker, never shadows a dialable number', () => {
      const snap = tweak((s) => {
        s.pbx.parkingTimeout = 90;
        s.extensions[0].number = '702';
        s.conferenceRooms[0].number = '703';
      });
      const docs = docsOf(snap);
      const park = actionsOf(extensionNamed(docs, 'park'));
      expect(park).to.include('set valet_parking_timeout=90');
      expect(park).to.include('valet_park demo auto in 701 708');
      expect(hunt(docs, 'demo', '701')).to.equal('park_slots');
      expect(hunt(docs, 'demo', '702')).to.equal('extension_702');
      expect(hunt(docs, 'demo', '703')).to.equal(null);
      expect(hunt(docs, 'demo', 'dt_park_orbit', { referred_by_user: '102' })).to.equal('dt_park_orbit');
      expect(actionsOf(extensionNamed(docs, 'dt_park_orbit'))).to.deep.equal([
        'transfer $1 XML demo',
        '!hangup NO_ANSWER',
      ]);
    });
  });

  describe('Find Me', () => {
    let snap: PbxSnapshot;
    before(async () => {
      snap = await demoSnapshot(findMe);
    });
    const dan = () => snap.extensions.find((e) => e.number === '104')!;

    it('is active in its hours in the PBX zone, else goes to the fallback', () => {
      const docs = docsOf(snap);
      const fm = extensionNamed(docs, `dt_findme_${dan().id}`);
      const acts = actionsOf(fm);
      expect(acts[0]).to.equal('set timezone=America/New_York');
      const time = conditionsOf(fm)[1];
      expect(attr(time, 'wday')).to.equal('2-6,7');
      expect(attr(time, 'time-of-day')).to.equal('08:00-18:00');
      expect(acts).to.include(`!transfer dt_findme_${dan().id}_fallback XML demo`);
    });

    it('rings each active location for its seconds, asks for the name, offers voicemail between locations', () => {
      const docs = docsOf(snap);
      const id = dan().id;
      expect(actionsOf(extensionNamed(docs, `dt_findme_${id}_1`))[0]).to.equal(
        'bridge {leg_timeout=15}user/104@demo.dialtone.test',
      );
      expect(actionsOf(extensionNamed(docs, `dt_findme_${id}_2`))[0]).to.match(
        /^play_and_get_digits .* dt_findme_\d+_2_ring$/,
      );
      expect(actionsOf(extensionNamed(docs, `dt_findme_${id}_3_ring`))[0]).to.equal(
        'bridge {leg_timeout=15}sofia/gateway/demo_carrier/12125550199',
      );
      expect(hasExtension(docs, `dt_findme_${id}_4`)).to.equal(false);
      const start = actionsOf(extensionNamed(docs, `dt_findme_${id}`));
      expect(start).to.include('set group_confirm_key=1');
      expect(start.some((a) => a.startsWith('record $${temp_dir}/dt_findme_${uuid}.wav'))).to.equal(true);
    });

    it('skips outside locations when the PBX has no trunk, and 24:00 means the end of the day', () => {
      const s = structuredClone(snap);
      s.sipTrunks = [];
      const e = s.extensions.find((x) => x.number === '104')!;
      e.findMe.activeTo = '24:00';
      const docs = docsOf(s);
      expect(hasExtension(docs, `dt_findme_${e.id}_3`)).to.equal(false);
      const time = conditionsOf(extensionNamed(docs, `dt_findme_${e.id}`))[1];
      expect(attr(time, 'time-of-day')).to.equal('08:00-23:59:59');
    });
  });

  describe('agents', () => {
    it('sets mod_callcenter status of <extension>@<domain>, quoting two-word statuses', () => {
      const docs = docsOf(demo);
      const brk = actionsOf(extensionNamed(docs, 'agentBreak_0'));
      expect(brk).to.include(
        "set dt_agent_result=${callcenter_config(agent set status $1@demo.dialtone.test 'On Break')}",
      );
      expect(actionsOf(extensionNamed(docs, 'agentLogout_0')).join('\n')).to.include("'Logged Out'");
      expect(actionsOf(extensionNamed(docs, 'agentLogin_0')).join('\n')).to.include(' Available)}');
      expect(hunt(docs, 'demo', '*41600', { dialtone_extension: '103' })).to.equal('agentLogin_1');
      expect(hunt(docs, 'demo', 'dt_agent_ack', { dt_agent_result: '+OK' })).to.equal('dt_agent_ack');
    });
  });

  describe('recording by phone', () => {
    it('records greetings only with the owner, the mailbox PIN or the portal token, into the PBX audio dir', () => {
      const docs = docsOf(demo);
      const alice = demo.mailboxes.find((m) => m.number === '101')!;
      const start = `dt_record_greeting_${alice.id}`;
      expect(hunt(docs, 'demo', '*101')).to.equal(start);
      // The entry names the mailbox and its voicemail box; the checks, the menu and the recording steps are shared.
      expect(actionsOf(extensionNamed(docs, start))).to.deep.equal([
        `set dt_record_mailbox=${alice.id}`,
        'set dt_record_vm=101',
        'transfer dt_record_greeting_check XML demo',
      ]);
      const entered = { dt_record_mailbox: String(alice.id), dt_record_vm: '101' };
      const [, owner, auth] = conditionsOf(extensionNamed(docs, 'dt_record_greeting_check'));
      const holds = (c: XmlElement, vars: Record<string, string>) =>
        new RegExp(attr(c, 'expression')).test(expandField(attr(c, 'field'), docs, 'dt_record_greeting_check', vars));
      // Alice's own phone skips the PIN: its user carries dialtone_vm_id=101 (the inline set grants the token).
      expect(holds(owner, { ...entered, dialtone_vm_id: '101' })).to.equal(true);
      expect(actionsOf(owner)).to.deep.equal(['set dialtone_record_auth=mailbox_${dt_record_mailbox}']);
      expect(holds(owner, { ...entered, dialtone_vm_id: '102' })).to.equal(false);
      expect(holds(owner, { ...entered, dialtone_vm_id: '1010' })).to.equal(false);
      expect(holds(owner, { dialtone_vm_id: '101' })).to.equal(false); // dialled without the entry
      expect(holds(owner, {})).to.equal(false);
      // The portal's token for this mailbox opens the menu; a token for another mailbox asks for the PIN.
      expect(holds(auth, { ...entered, dialtone_record_auth: `mailbox_${alice.id}` })).to.equal(true);
      expect(holds(auth, { ...entered, dialtone_record_auth: `mailbox_${alice.id + 1}` })).to.equal(false);
      expect(holds(auth, { ...entered, dialtone_record_auth: `mailbox_1${alice.id}` })).to.equal(false);
      expect(holds(auth, {})).to.equal(false);
      expect(actionsOf(auth)).to.include('!transfer dt_record_greeting_pin XML demo');
      // The PIN is compared with the vm-password mod_voicemail reads, from the mailbox's directory user.
      const [, pin] = conditionsOf(extensionNamed(docs, 'dt_record_greeting_pin'));
      expect(holds(pin, { ...entered, dt_record_pin: alice.password })).to.equal(true);
      expect(holds(pin, { ...entered, dt_record_pin: `${alice.password}1` })).to.equal(false);
      expect(holds(pin, { ...entered, dt_record_pin: '' })).to.equal(false);
      expect(holds(pin, { dt_record_pin: alice.password })).to.equal(false); // no mailbox named: no password to match
      expect(actionsOf(pin)).to.include('set dialtone_record_auth=mailbox_${dt_record_mailbox}');
      expect(actionsOf(pin)).to.include('!transfer dt_record_denied XML demo');
      expect(hunt(docs, 'demo', 'dt_record_greeting_choice', { dt_record_kind: '2' })).to.equal(
        'dt_record_greeting_choice_2',
      );
      expect(actionsOf(extensionNamed(docs, 'dt_record_greeting_choice_2'))).to.include(
        'transfer dt_record_greeting_${dt_record_mailbox}_busy XML demo',
      );
      const rec = `${start}_busy`;
      const step = extensionNamed(docs, 'dt_record_greeting_busy');
      expect(hunt(docs, 'demo', rec, { dialtone_record_auth: `mailbox_${alice.id}` })).to.equal(
        'dt_record_greeting_busy',
      );
      const check = conditionsOf(step)[1];
      const re = new RegExp(attr(check, 'expression'));
      expect(re.test(`mailbox_${alice.id}/${rec}`)).to.equal(true);
      // A token for another mailbox, or none, never records over Alice's greeting.
      expect(re.test(`mailbox_${alice.id + 1}/${rec}`)).to.equal(false);
      expect(re.test(`mailbox_1${alice.id}/${rec}`)).to.equal(false);
      expect(re.test(`/${rec}`)).to.equal(false);
      expect(actionsOf(step)).to.include(`record ${OPTS.audioDir}/demo/phone-mailbox-$1-busy-\${uuid}.wav 180 200 5`);
      expect(actionsOf(step)).to.include(`!transfer dt_record_denied XML demo`);
    });

    it('*323 asks the PBX PIN, then records the attendant greeting', () => {
      const docs = docsOf(demo);
      expect(hunt(docs, 'demo', '*323')).to.equal('record_attendant');
      const pin = conditionsOf(extensionNamed(docs, 'dt_record_attendant_pin'))[1];
      expect(attr(pin, 'expression')).to.equal('^123456$');
      const a = demo.autoAttendants[0].id;
      expect(actionsOf(extensionNamed(docs, `dt_record_attendant_${a}`))).to.include(
        `set dialtone_recorded_file=${OPTS.audioDir}/demo/phone-attendant-${a}-\${uuid}.wav`,
      );
      const none = docsOf(tweak((s) => (s.autoAttendants = [])));
      expect(actionsOf(extensionNamed(none, 'dt_record_attendant'))).to.include('hangup NORMAL_CLEARING');
    });
  });

  describe('playing one voicemail message (phone apps)', () => {
    it("answers the check-voicemail code + *, reads the hash under the caller's own extension, plays the path only", () => {
      const docs = docsOf(demo);
      const json = readFileSync(`${FIXTURES}esl/esl-api-vm_fsdb_msg_get-hostile-name.txt`, 'utf8').split('\n\n')[1]!;
      const vars = {
        dialtone_extension: '101',
        dt_vm_play: '101:720008e0-1c91-40c0-a482-773761205e50',
        dt_vm_file: json,
      };
      expect(hunt(docs, 'demo', '*98*', vars)).to.equal('play_voicemail_message');
      expect(hunt(docs, 'demo', '*98')).to.equal('check_voicemail');
      const [, caller, chosen, file] = conditionsOf(extensionNamed(docs, 'play_voicemail_message'));
      // Keyed by the directory's dialtone_extension of the caller, never by anything in the request.
      expect(attr(caller!, 'field')).to.equal('${dialtone_extension}');
      expect(actionsOf(caller!)).to.deep.equal(['set dt_vm_play=${hash(select/demo-vm_play/$1)}']);
      expect(attr(chosen!, 'expression')).to.equal(
        '^((?:vm_)?\\d{2,6}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
      );
      // The path is taken from vm_fsdb_msg_get's JSON (captured shape) only if it is plain characters.
      const m = new RegExp(attr(file!, 'expression')).exec(json);
      expect(m?.[1]).to.match(/^\/tmp\/pa-fs\/run\/storage\/voicemail\/default\/demo\.dialtone\.test\/101\/msg_/);
      expect(new RegExp(attr(file!, 'expression')).exec(json.replace('.wav', '.wav;rm -rf'))).to.equal(null);
      expect(new RegExp(attr(file!, 'expression')).exec(json.replace('/tmp/', '/t mp/'))).to.equal(null);
      expect(actionsOf(file!)).to.include('playback $1');
      expect(actionsOf(file!)).to.include(
        'set dt_vm_read=${vm_read(${dt_vm_box}@demo.dialtone.test read ${dt_vm_msg})}',
      );
    });

    it('is left out when the PBX has no check-voicemail code', () => {
      const none = docsOf(tweak((s) => (s.pbx.featureCodes = { ...s.pbx.featureCodes, checkVoicemail: '' })));
      expect(hasExtension(none, 'play_voicemail_message')).to.equal(false);
    });
  });
});
