// Directory users, voicemail boxes and the company directory: ids, MWI, listing, xml_curl answers, module confs.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { PbxSnapshot } from '../../../src/domain/snapshot';
import {
  contextBuild,
  directoryDomainBuild,
  directoryUserBuild,
  directoryUsers,
  e911Callback,
  findDirectoryUser,
  pbxDialplanFiles,
  voicemailAccount,
  voicemailId,
} from '../../../src/freeswitch/generator/dialplan';
import { renderDocument } from '../../../src/freeswitch/generator/xml';
import { childElements, parseXmlStrict, type XmlElement } from '../../../src/freeswitch/xml-strict';
import { demoSnapshot } from '../../helpers/demo-snapshot';
import {
  actionsOf,
  afterPhone,
  attr,
  conditionsOf,
  dialplanTree,
  elements,
  extensionNamed,
  hunt,
  mailboxOptions,
  noMailbox,
  OPTS,
  parseTree,
} from './dialplan-support';

const FIXTURES = new URL('../../fixtures/freeswitch/', import.meta.url).pathname;

/** name -> value of the <param>s (or <variable>s) of a user element. */
function pairs(user: XmlElement, tag: 'param' | 'variable'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of elements(user)) if (el.name === tag) out[attr(el, 'name')] = attr(el, 'value');
  return out;
}

/** A user's variables as the channel gets them: the domain's, overridden by the user's own (sofia's merge order). */
function channelVariables(tree: Map<string, string>, domain: string, id: string): Record<string, string> {
  const dom = childElements(parseXmlStrict(tree.get(`directory/${domain}.xml`)!), 'domain')[0];
  const shared = Object.fromEntries(
    childElements(childElements(dom, 'variables')[0], 'variable').map((v) => [attr(v, 'name'), attr(v, 'value')]),
  );
  return { ...shared, ...pairs(userElement(tree, domain, id), 'variable') };
}

function userElement(tree: Map<string, string>, domain: string, id: string): XmlElement {
  const root = parseXmlStrict(tree.get(`directory/${domain}/${id}.xml`)!);
  return childElements(root, 'user')[0];
}

describe('dialplan generator: directory and voicemail', function () {
  this.timeout(120_000);
  let demo: PbxSnapshot;
  let options: PbxSnapshot;

  before(async () => {
    demo = await demoSnapshot();
    options = await demoSnapshot(mailboxOptions);
  });

  describe('users and voicemail ids', () => {
    it('one user per extension; a mailbox shares its same-numbered owner, others get vm_<number>', () => {
      expect(directoryUsers(demo).map((u) => u.id)).to.deep.equal(['101', '102', '103', 'vm_100']);
      const ids = directoryUsers(options).map((u) => `${u.id}${u.numberAlias ? `~${u.numberAlias}` : ''}`);
      expect(ids).to.deep.equal(['101', '102', '103', '105', '106', 'vm_100~100', 'vm_201~201']);
      const box = (n: string) => options.mailboxes.find((m) => m.number === n)!;
      expect(voicemailId(options, box('101'))).to.equal('101');
      expect(voicemailId(options, box('201'))).to.equal('vm_201');
      expect(voicemailAccount(options, box('201'))).to.equal('vm_201@demo.dialtone.test');
    });

    it('finds users as FreeSWITCH would: id first, then number-alias', () => {
      expect(findDirectoryUser(options, '201')?.id).to.equal('vm_201');
      expect(findDirectoryUser(options, '101')?.extension?.number).to.equal('101');
      expect(findDirectoryUser(options, '999')).to.equal(null);
    });

    it('gives no number-alias to a mailbox whose number an unrelated extension uses', () => {
      const s = structuredClone(options);
      s.mailboxes.find((m) => m.number === '100')!.number = '106';
      const u = directoryUsers(s).find((x) => x.id === 'vm_106')!;
      expect(u.numberAlias).to.equal(null);
      expect(findDirectoryUser(s, '106')?.extension?.number).to.equal('106');
    });

    it('points MWI of every extension at its mailbox when the ids differ', () => {
      const tree = dialplanTree([options]);
      expect(pairs(userElement(tree, 'demo.dialtone.test', '105'), 'param')['MWI-Account']).to.equal(
        'vm_201@demo.dialtone.test',
      );
      expect(pairs(userElement(tree, 'demo.dialtone.test', '106'), 'param')['MWI-Account']).to.equal(
        'vm_201@demo.dialtone.test',
      );
      expect(pairs(userElement(tree, 'demo.dialtone.test', '101'), 'param')).not.to.have.property('MWI-Account');
    });

    it('puts the mailbox settings on the user that carries the box', () => {
      const tree = dialplanTree([options]);
      const alice = pairs(userElement(tree, 'demo.dialtone.test', '101'), 'param');
      expect(alice).to.include({ 'vm-password': '91014' });
      // Dialtone mails new messages itself (services/voicemail-notify.ts): FreeSWITCH's mailer would send twice.
      for (const p of ['vm-mailto', 'vm-notify-mailto', 'vm-attach-file', 'vm-email-all-messages'])
        expect(alice).not.to.have.property(p);
      expect(alice).not.to.have.property('vm-enabled'); // mod_voicemail's default: enabled
      const sales = pairs(userElement(tree, 'demo.dialtone.test', 'vm_201'), 'param');
      expect(sales).to.include({ 'vm-password': '2019', 'vm-alternate-greet-id': '201' });
      expect(sales.password).to.match(/^[0-9a-f]{32}$/);
      expect(pairs(userElement(tree, 'demo.dialtone.test', 'vm_201'), 'variable')).not.to.have.property('user_context');
    });

    it('an employee without a mailbox has voicemail off and no mailbox variables', async () => {
      const snap = await demoSnapshot(noMailbox);
      const tree = dialplanTree([snap]);
      const eve = userElement(tree, 'demo.dialtone.test', '107');
      expect(pairs(eve, 'param')).to.include({ 'vm-enabled': 'false', 'directory-visible': 'false' });
      expect(pairs(eve, 'param')).not.to.have.property('MWI-Account');
      expect(pairs(eve, 'variable')).not.to.have.property('dialtone_vm_id');
      const docs = parseTree(tree);
      const id = snap.extensions.find((e) => e.number === '107')!.id;
      expect(afterPhone(docs, 'demo', id, 'NO_ANSWER')).to.equal('transfer dt_hangup_NORMAL_CLEARING XML demo');
    });

    it('sets caller ID, outbound caller ID, E911 callback and context on extension users', () => {
      const tree = dialplanTree([demo]);
      const vars = channelVariables(tree, 'demo.dialtone.test', '102');
      expect(vars).to.include({
        user_context: 'demo',
        effective_caller_id_name: 'Bob Hygienist',
        effective_caller_id_number: '102',
        outbound_caller_id_number: '2125550100',
        outbound_caller_id_name: 'DEMO DENTAL',
        toll_allow: 'domestic,local',
        dialtone_extension: '102',
        dialtone_e911_callback: '2125550100',
      });
      // What every extension shares sits on the domain once; a user lists only what differs.
      expect(pairs(userElement(tree, 'demo.dialtone.test', '102'), 'variable')).not.to.have.property('user_context');
      const s = structuredClone(demo);
      s.phoneNumbers.push({ ...s.phoneNumbers[0], id: 77, number: '3125550100', callerIdName: 'CHICAGO' });
      s.e911Locations.push({ ...s.e911Locations[0], id: 88, callbackNumberId: 77 });
      s.extensions[1].e911LocationId = 88;
      s.extensions[1].outgoingCallerIdNumberId = 77;
      expect(e911Callback(s, s.extensions[1])).to.equal('3125550100');
      expect(channelVariables(dialplanTree([s]), 'demo.dialtone.test', '102')).to.include({
        outbound_caller_id_number: '3125550100',
        outbound_caller_id_name: 'CHICAGO',
        dialtone_e911_callback: '3125550100',
        user_context: 'demo',
      });
    });
  });

  describe('company directory', () => {
    it('lists each mailbox once under its name, hides hidden ones, reads numbers when the PBX says so', () => {
      const tree = dialplanTree([options]);
      // mod_directory's default for both params is true.
      const param = (id: string, name: string) =>
        pairs(userElement(tree, 'demo.dialtone.test', id), 'param')[name] ?? 'true';
      const visible = (id: string) => param(id, 'directory-visible');
      expect(['101', '102', '103', '105', '106', 'vm_100', 'vm_201'].map(visible)).to.deep.equal([
        'true',
        'false', // hidden mailbox
        'true',
        'true', // Dana's mailbox 201, listed at her extension
        'false', // the second phone of the same mailbox
        'true', // general mailbox, no extension
        'false',
      ]);
      expect(pairs(userElement(tree, 'demo.dialtone.test', '105'), 'variable').directory_full_name).to.equal(
        'Dana Sales',
      );
      expect(param('101', 'directory-exten-visible')).to.equal('true');
      const quiet = structuredClone(options);
      quiet.pbx.readExtensionInDirectory = false;
      const quietTree = dialplanTree([quiet]);
      expect(pairs(userElement(quietTree, 'demo.dialtone.test', '101'), 'param')['directory-exten-visible']).to.equal(
        'false',
      );
    });

    it('a mailbox without an extension is reached through its user id', () => {
      const docs = parseTree(dialplanTree([demo]));
      const general = demo.mailboxes.find((m) => m.number === '100')!;
      expect(hunt(docs, 'demo', 'vm_100')).to.equal('vm_100');
      expect(actionsOf(extensionNamed(docs, 'vm_100'))).to.deep.equal([`transfer dt_vm_${general.id} XML demo`]);
    });

    it('searches by first name when the PBX says so, in the profile that shares voicemail recorded names', () => {
      const docs = parseTree(dialplanTree([options]));
      const acts = actionsOf(extensionNamed(docs, 'dt_directory'));
      expect(acts).to.include('set directory_search_order=first_name');
      expect(acts).to.include('directory default demo.dialtone.test demo');
      expect(actionsOf(extensionNamed(parseTree(dialplanTree([demo])), 'company_directory'))).to.include(
        'set directory_search_order=last_name',
      );
    });
  });

  describe('xml_curl answers', () => {
    it('one user inside the domain, the same element as the static file', () => {
      const user = findDirectoryUser(options, '201')!;
      const doc = renderDocument('directory', directoryDomainBuild(options, OPTS, [user]));
      const root = parseXmlStrict(doc);
      const users = [...elements(root)].filter((e) => e.name === 'user');
      expect(users.map((u) => attr(u, 'id'))).to.deep.equal(['vm_201']);
      const groups = [...elements(root)].filter((e) => e.name === 'group').map((g) => attr(g, 'name'));
      expect(groups).to.deep.equal(['default']);
      const stat = userElement(dialplanTree([options]), 'demo.dialtone.test', 'vm_201');
      expect(pairs(users[0], 'param')).to.deep.equal(pairs(stat, 'param'));
    });

    it("'all' inlines every user, 'none' none; the dial-string is the one FreeSWITCH accepted in the capture", () => {
      const all = parseXmlStrict(renderDocument('directory', directoryDomainBuild(options, OPTS, 'all')));
      expect([...elements(all)].filter((e) => e.name === 'user')).to.have.length(directoryUsers(options).length);
      const none = parseXmlStrict(renderDocument('directory', directoryDomainBuild(options, OPTS, 'none')));
      expect([...elements(none)].filter((e) => e.name === 'user')).to.have.length(0);
      const served = readFileSync(`${FIXTURES}xml_curl/xml_curl-served-directory-1001-response.http`, 'latin1');
      const fixture = /name="dial-string" value="([^"]+)"/.exec(served)![1];
      const ours = [...elements(all)].find((e) => e.name === 'param' && attr(e, 'name') === 'dial-string')!;
      expect(attr(ours, 'value')).to.equal(fixture);
    });

    it('answers a dialplan lookup with the whole context inline, in the static tree order', () => {
      const root = parseXmlStrict(renderDocument('dialplan', contextBuild(options, pbxDialplanFiles(options, OPTS))));
      const contexts = [...elements(root)].filter((e) => e.name === 'context');
      expect(contexts.map((c) => attr(c, 'name'))).to.deep.equal(['demo']);
      const live = childElements(contexts[0], 'extension').map((e) => attr(e, 'name'));
      const docs = parseTree(dialplanTree([options]));
      const stat = docs
        .filter((d) => d.path.startsWith('dialplan/demo/'))
        .flatMap((d) => childElements(d.root, 'extension').map((e) => attr(e, 'name')));
      expect(live).to.deep.equal(stat);
      expect(live[0]).to.equal('emergency_911');
    });

    it('builds a user on its own for callers that assemble their own document', () => {
      const parent = parseXmlStrict(
        renderDocument('directory', (p) => directoryUserBuild(demo, directoryUsers(demo)[0], OPTS)(p)),
      );
      expect([...elements(parent)].some((e) => e.name === 'user' && attr(e, 'id') === '101')).to.equal(true);
    });
  });

  describe('leaving a message', () => {
    it('chooses the greeting by route: busy greeting, else the unavailable one; skips instructions when set', () => {
      const docs = parseTree(dialplanTree([options]));
      const box = (n: string) => options.mailboxes.find((m) => m.number === n)!.id;
      const answering = (name: string) => actionsOf(extensionNamed(docs, hunt(docs, 'demo', name) ?? ''));
      const busy = answering(`dt_vm_${box('101')}_busy`);
      expect(busy).to.include(`set voicemail_greeting_path=${OPTS.audioDir}/demo/greeting-c3d4.mp3`);
      expect(busy).to.include('set skip_instructions=true');
      const onlyBusy = answering(`dt_vm_${box('102')}_busy`);
      expect(onlyBusy).to.include(`playback ${OPTS.audioDir}/demo/greeting-e5f6.wav`);
    });

    it('announcement only: plays the greeting, never records, returns to the attendant that sent the caller', () => {
      const docs = parseTree(dialplanTree([options]));
      const id = options.mailboxes.find((m) => m.number === '102')!.id;
      const acts = actionsOf(extensionNamed(docs, `dt_vm_${id}`));
      expect(acts.some((a) => a.startsWith('voicemail '))).to.equal(false);
      expect(acts.at(-1)).to.equal('transfer dt_vm_return XML demo');
      expect(hunt(docs, 'demo', 'dt_vm_return', { dt_return_to: 'dt_ivr_7' })).to.equal('dt_vm_return');
      expect(actionsOf(extensionNamed(docs, 'dt_vm_return'))).to.include('!hangup NORMAL_CLEARING');
    });

    it('dial during announcement collects a whole extension number, never a disallowed one', () => {
      const docs = parseTree(dialplanTree([options]));
      const id = options.mailboxes.find((m) => m.number === '101')!.id;
      const pagd = actionsOf(extensionNamed(docs, `dt_vm_${id}`)).find((a) => a.startsWith('play_and_get_digits'))!;
      expect(pagd).to.include('dt_vm_dialed ^(101|102|105|106)$');
      const dial = `dt_vm_${id}_dial`;
      expect(hunt(docs, 'demo', dial, { dt_vm_dialed: '102' })).to.equal(dial);
      const cond = conditionsOf(extensionNamed(docs, dial))[1];
      expect(attr(cond, 'expression')).to.equal('^(101|102|105|106)$');
      expect(actionsOf(cond)).to.include('!set skip_greeting=true');
    });

    it('*98 opens the caller own box, or asks which', () => {
      const docs = parseTree(dialplanTree([options]));
      const check = conditionsOf(extensionNamed(docs, 'check_voicemail'))[1];
      expect(actionsOf(check)).to.deep.equal([
        'voicemail check default demo.dialtone.test $1',
        '!voicemail check default demo.dialtone.test',
      ]);
      expect(new RegExp(attr(check, 'expression')).test('vm_201')).to.equal(true);
    });
  });

  describe('module configuration', () => {
    it('one voicemail profile "default": empty passwords never open a box, storage in FreeSWITCH layout', () => {
      const conf = parseXmlStrict(dialplanTree([demo]).get('autoload_configs/voicemail.conf.xml')!);
      const params = Object.fromEntries(
        [...elements(conf)].filter((e) => e.name === 'param').map((e) => [attr(e, 'name'), attr(e, 'value')]),
      );
      expect(params['allow-empty-password-auth']).to.equal('false');
      expect(params['storage-dir']).to.equal('$${dialtone_storage_dir}/voicemail/default');
      expect([...elements(conf)].filter((e) => e.name === 'profile').map((p) => attr(p, 'name'))).to.deep.equal([
        'default',
      ]);
    });

    it('one directory profile "default", last name unless a PBX asks otherwise per call', () => {
      const conf = parseXmlStrict(dialplanTree([demo]).get('autoload_configs/directory.conf.xml')!);
      const order = [...elements(conf)].find((e) => e.name === 'param' && attr(e, 'name') === 'search-order');
      expect(attr(order!, 'value')).to.equal('last_name');
    });
  });
});
