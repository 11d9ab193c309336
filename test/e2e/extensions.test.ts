// Extensions on a real FreeSWITCH (static tree, Dialtone down): registration, the manual's routing rules (If Busy,
// If Not Answered, If Offline, Try First), Find Me, call waiting, intercom, directed pickup, hostile caller-ID names,
// and mailbox-only directory users that must not be SIP accounts.
import { expect } from 'chai';
import { intercomAlertInfoFields, intercomCallInfo } from '../../src/domain/intercom-headers';
import { describeE2e, header, nameAndUser } from './support';

const ids: Record<string, number> = {};
const ext = (n: string) => ({ kind: 'extension', id: ids[n] });

describeE2e(
  'e2e: extensions (static tree)',
  {
    mode: 'static',
    setup: async (b) => {
      for (const n of ['201', '202', '203', '204', '205', '206']) ids[n] = (await b.extension(n)).id;
      ids.trunk = await b.create('trunks', { name: 'carrier', host: '127.0.0.1', port: b.carrierPort });
      // Routing rules observable as other phones ringing.
      ids['210'] = (
        await b.extension('210', {
          secondsToRing: 5,
          routing: {
            tryFirst: { kind: 'phone' },
            ifBusy: ext('203'),
            ifNotAnswered: ext('204'),
            ifOffline: ext('205'),
          },
        })
      ).id;
      // Try First elsewhere: the phone is never rung.
      ids['211'] = (await b.extension('211', { routing: { tryFirst: ext('206') } })).id;
      // Find Me: another extension, then an outside number over the trunk (which must accept with 1).
      ids['220'] = (
        await b.extension('220', {
          routing: { tryFirst: { kind: 'find_me' } },
          findMe: {
            locations: [
              { active: true, type: 'other_extension', extensionId: ids['204'] },
              { active: false, type: 'other_extension', extensionId: ids['205'] },
              { active: true, type: 'outside_number', number: '3125559999' },
            ],
            ringSeconds: 5,
            alwaysActive: true,
            fallback: { kind: 'hangup' },
          },
        })
      ).id;
      ids['230'] = (await b.extension('230', { disableCallWaiting: true })).id;
      ids['240'] = (await b.extension('240', { dialHashToTransfer: true })).id;
      // A mailbox nobody's extension carries: directory user vm_300.
      ids.mailbox300 = await b.create('mailboxes', { number: '300', name: 'Shared Box', password: '5309' });
      ids.did = await b.create('numbers', { number: '3125550111', routeTo: ext('202') });
    },
  },
  (t) => {
    it('loads the tree with zero [ERR]/[CRIT]/deprecation lines while Dialtone is down', () => {
      expect(t().startupProblems()).to.deep.equal([]);
    });

    it('registers a phone and connects an extension-to-extension call', async () => {
      const phone = await t().phone('202');
      const call = await t().call({ from: '201', to: '202' });
      expect(call.status).to.equal(200);
      expect(call.ran('bridge', 'user/202@acme.e2e.test')).to.equal(true);
      expect(phone.invites()).to.have.length(1);
      expect(nameAndUser(header(phone.invites()[0], 'from'))).to.deep.equal({ name: 'Person 201', user: '201' });
      expect(call.legs[0].hangup?.['Hangup-Cause']).to.equal('NORMAL_CLEARING');
    });

    it('If Busy: the phone refuses (486) and the call goes where If Busy says', async () => {
      const p210 = await t().phone('210', 'busy');
      const p203 = await t().phone('203');
      const call = await t().call({ from: '201', to: '210' });
      expect(call.status).to.equal(200);
      expect(p210.invites()).to.have.length(1);
      expect(p203.invites()).to.have.length(1);
      expect(call.ran('transfer', '203 XML acme')).to.equal(true);
    });

    it('If Not Answered: after Seconds to Ring the phone is cancelled and the call goes on', async () => {
      const p210 = await t().phone('210', 'ring');
      const p204 = await t().phone('204');
      const [invites210, invites204] = [p210.invites().length, p204.invites().length];
      const started = Date.now();
      const call = await t().call({ from: '201', to: '210' });
      expect(call.status).to.equal(200);
      expect(p210.invites()).to.have.length(invites210 + 1);
      expect(p210.received('CANCEL')).to.have.length(1);
      expect(p204.invites()).to.have.length(invites204 + 1);
      expect(call.ran('transfer', '204 XML acme')).to.equal(true);
      expect(call.ran('multiset', /call_timeout=5 /)).to.equal(true);
      expect(Date.now() - started).to.be.greaterThan(4500);
    });

    it('If Offline: an unregistered phone sends the call on at once', async () => {
      const p210 = await t().phone('210');
      await p210.unregister();
      const p205 = await t().phone('205');
      const invites210 = p210.invites().length;
      const call = await t().call({ from: '201', to: '210' });
      expect(call.status).to.equal(200);
      expect(p210.invites()).to.have.length(invites210);
      expect(p205.invites()).to.have.length(1);
      expect(call.ran('transfer', '205 XML acme')).to.equal(true);
    });

    it('Try First another extension: the own phone never rings', async () => {
      const p211 = await t().phone('211');
      const p206 = await t().phone('206');
      const call = await t().call({ from: '201', to: '211' });
      expect(call.status).to.equal(200);
      expect(p211.invites()).to.have.length(0);
      expect(p206.invites()).to.have.length(1);
    });

    it('Find Me: each active location in turn for its seconds, the outside one over the trunk, accepted with 1', async () => {
      const p204 = await t().phone('204', 'ring');
      const p205 = await t().phone('205');
      await t().carrier.answer('accept');
      const [cancels204, invites205] = [p204.received('CANCEL').length, p205.invites().length];
      const call = await t().call({ from: '201', to: '220', holdMs: 2500 });
      expect(call.status).to.equal(200);
      expect(p204.received('CANCEL')).to.have.length(cancels204 + 1);
      expect(p205.invites(), 'inactive location').to.have.length(invites205);
      const out = t().carrier.invites();
      expect(out).to.have.length(1);
      expect(out[0].uri).to.match(/^sip:13125559999@127\.0\.0\.1/);
      expect(call.ran('bridge', /^\{leg_timeout=5\}user\/204@acme\.e2e\.test$/)).to.equal(true);
      expect(call.ran('bridge', /^\{leg_timeout=5\}sofia\/gateway\/acme_carrier\/13125559999$/)).to.equal(true);
      expect(call.variables.group_confirm_key).to.equal('1');
      // The carrier's leg was bridged to the caller after it pressed 1; the caller never reached the fallback.
      const gateway = call.legs.find((l) => l.name.startsWith('sofia/external/'));
      expect(gateway?.answered).to.equal(true);
      expect(call.variables.last_bridge_to).to.equal(gateway?.uuid);
      expect(call.ran('transfer', /_fallback XML acme$/)).to.equal(false);
    });

    it('call waiting off: a second call while on a call takes the busy route, the phone is not rung again', async () => {
      const p230 = await t().phone('230');
      const first = t().call({ from: '201', to: '230', holdMs: 5000 });
      await p230.waitFor('INVITE', 1);
      const second = await t().call({ from: '202', to: '230' });
      expect((await first).status).to.equal(200);
      expect(p230.invites()).to.have.length(1);
      expect(second.ran('limit', /^hash acme ext_230 1 dt_vm_\d+_busy XML acme$/)).to.equal(true);
      expect(second.ran('voicemail', 'default acme.e2e.test 230')).to.equal(true);
      expect(second.variables.voicemail_greeting_path ?? '').to.equal('');
    });

    it('dial # to transfer: during a call, # and a number blind-transfer the other party there', async () => {
      const [p202, p203] = [await t().phone('202'), await t().phone('203')];
      const before = p203.invites().length;
      const call = await t().call({ from: '240', to: '202', steps: [{ wait: 1500 }, { dtmf: '#203#' }], holdMs: 2500 });
      expect(call.ran('bind_meta_app', '2 a s execute_extension::dt_xfer_2 XML acme')).to.equal(true);
      expect(call.ran('transfer', '-bleg 203 XML acme')).to.equal(true);
      expect(p203.invites()).to.have.length(before + 1);
      expect(
        nameAndUser(header(p203.invites().at(-1)!, 'from')).user,
        "the transferred party: 240's callee",
      ).to.not.equal('');
      expect(p202.received('BYE').length).to.be.greaterThan(0);
    });

    it('intercom (*1 + extension): the INVITE asks the phone to answer by itself', async () => {
      const p203 = await t().phone('203');
      const call = await t().call({ from: '201', to: '*1203' });
      expect(call.status).to.equal(200);
      const invite = p203.invites().at(-1)!;
      // Exactly the headers the generator promises the provisioned phones: sofia splits the alert_info variable at
      // its comma into one Alert-Info line per field.
      expect(header(invite, 'call-info')).to.equal(intercomCallInfo('acme.e2e.test'));
      expect(invite.headers['alert-info']).to.deep.equal(intercomAlertInfoFields('127.0.0.1'));
    });

    it('directed pickup (*8 + extension): another phone takes the ringing call', async () => {
      const p203 = await t().phone('203', 'ring');
      const cancels = p203.received('CANCEL').length;
      const ringing = t().call({ from: '201', to: '203', holdMs: 2000 });
      await p203.waitFor('INVITE', p203.invites().length + 1);
      const pickup = await t().call({ from: '204', to: '*8203', holdMs: 3000 });
      const original = await ringing;
      expect(original.status).to.equal(200);
      expect(pickup.ran('intercept', original.channel!.uuid)).to.equal(true);
      expect(p203.received('CANCEL')).to.have.length(cancels + 1);
    });

    it('hostile caller-ID names reach the phone as plain text and change nothing about routing', async () => {
      const p202 = await t().phone('202');
      const before = p202.invites().length;
      // What Dialtone's dial strings and variables treat specially: | , {} [] and FreeSWITCH's ${...}.
      const hostile = '${system(id)} $${sound_prefix} |a,b {x=y} [leg_timeout=1]';
      const call = await t().call({ from: { trunk: true, number: '8155550123' }, to: '3125550111', name: hostile });
      expect(call.status).to.equal(200);
      expect(call.ran('transfer', /^dt_did_\d+ XML acme$/)).to.equal(true);
      expect(call.ran('bridge', 'user/202@acme.e2e.test')).to.equal(true);
      const invites = p202.invites();
      expect(invites).to.have.length(before + 1);
      const shown = nameAndUser(header(invites.at(-1)!, 'from'));
      expect(shown.user).to.equal('8155550123');
      // FreeSWITCH itself turns ${ into %{ in names from SIP; nothing is expanded, nothing else changes.
      expect(shown.name).to.equal('%{system(id)} $%{sound_prefix} |a,b {x=y} [leg_timeout=1]');
      expect(call.channel?.hangup?.['Caller-Caller-ID-Name']).to.equal(shown.name);
      expect(call.legs[0].hangup?.['Hangup-Cause']).to.equal('NORMAL_CLEARING');
    });

    it('a mailbox without an extension is no SIP account: its directory user cannot register', async () => {
      const users = [...t().tree.entries()]
        .filter(([p]) => p.startsWith('directory/'))
        .map(([, text]) => text)
        .join('');
      const user = /<user id="vm_300"[^>]*>[\s\S]*?<\/user>/.exec(users)?.[0] ?? '';
      expect(user).to.contain('vm-password');
      const password = /name="password" value="([^"]+)"/.exec(user)?.[1] ?? 'none';
      expect(await t().tryRegister('vm_300', password)).to.equal(403);
      expect(await t().tryRegister('201', 'e2ePassword201x')).to.equal(200);
    });
  },
);
