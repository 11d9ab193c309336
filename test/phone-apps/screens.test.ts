// Every phone-app screen, for every firmware profile, fetched over real HTTP with the phone's own User-Agent and
// checked for structure (validate-screen.ts); voicemail answers come from the captured FreeSWITCH replies.
import { expect } from 'chai';
import { firstChild, textOf } from '../../src/freeswitch/xml-strict';
import { fixtureBodyText } from '../fakes/fake-esl-server';
import { syntheticMessages, vmListBody } from '../fakes/vm-list-fixture';
import { checkScreen } from './validate-screen';
import { type AppsWorld, openAppsWorld, type Phone } from './world';

const DEPOSIT = 'f681c17b-5886-4fb3-b9c8-57b8a03bd3a1';
const HOSTILE = '720008e0-1c91-40c0-a482-773761205e50';
const LIST_101 = 'vm_list 101@demo.dialtone.test';
const AGENT_102 = 'callcenter_config agent get status 102@demo.dialtone.test';

describe('phone apps: every screen for every model', function () {
  this.timeout(120_000);
  let w: AppsWorld;

  before(async () => {
    w = await openAppsWorld({ perToken: { burst: 10_000, perSecond: 10_000 } });
    w.esl.setApiReply(AGENT_102, { fixture: 'esl-api-callcenter_config-agent_get_status-demo-on_break.txt' });
    for (const s of ['available', 'on_break', 'logged_out']) {
      const word = { available: 'Available', on_break: "'On Break'", logged_out: "'Logged Out'" }[s];
      w.esl.setApiReply(`callcenter_config agent set status 102@demo.dialtone.test ${word}`, {
        fixture: `esl-api-callcenter_config-agent_set_status-demo-${s}.txt`,
      });
    }
    w.esl.setApiReply(`vm_read 101@demo.dialtone.test read ${DEPOSIT}`, { fixture: 'esl-api-vm_read.txt' });
    w.esl.setApiReply(`vm_read 101@demo.dialtone.test unread ${DEPOSIT}`, { fixture: 'esl-api-vm_read.txt' });
  });
  after(async () => w?.close());

  const screens = (p: Phone) => {
    const box = w.box['101'];
    return [
      'voicemail',
      `voicemail/${box}`,
      `voicemail/${box}/new`,
      `voicemail/${box}/saved`,
      `voicemail/${box}/msg/${DEPOSIT}`,
      `voicemail/${box}/msg/${HOSTILE}`,
      `voicemail/${box}/msg/${DEPOSIT}/play`,
      `voicemail/${box}/msg/${DEPOSIT}/delete`,
      `voicemail/${box}/msg/${DEPOSIT}/save`,
      `voicemail/${box}/msg/${DEPOSIT}/new`,
      'directory',
      'directory/results?q=',
      'directory/results?q=bob',
      'directory/results?q=262',
      'directory/results?q=%3Cscript%3E',
      'directory/favorites',
      'agent',
      'agent/idle',
      `voicemail/${box}/msg/00000000-0000-4000-8000-000000000000`,
      'nowhere',
    ].map((path) => ({ phone: p, path }));
  };

  it('renders each screen as the vendor object it should be, within the model limits', async () => {
    for (const phone of w.phones)
      for (const { path } of screens(phone)) {
        const r = await w.get(phone, path);
        expect(r.status, `${phone.profile.id} ${path}`).to.equal(200);
        expect(r.headers['content-type']).to.equal(
          phone.profile.vendor === 'yealink' ? 'text/xml; charset=utf-8' : 'text/html; charset=utf-8',
        );
        expect(r.headers['cache-control']).to.equal('no-store');
        try {
          checkScreen(r.body, phone.profile, w.base, phone.token);
        } catch (err) {
          throw new Error(`${phone.profile.id} ${path}: ${(err as Error).message}\n${r.body.slice(0, 600)}`);
        }
      }
  });

  it('shows folders, a message with caller, PBX time and length, and the dialable actions', async () => {
    const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    const vvx = w.phones.find((p) => p.profile.id === 'polycom-vvx450')!;
    const folders = checkScreen((await w.get(t54w, 'voicemail')).body, t54w.profile, w.base, t54w.token);
    expect(folders.root.name).to.equal('YealinkIPPhoneTextMenu');
    expect(folders.texts).to.include.members(['Voicemail 101', 'New messages (3)', 'Saved messages (0)']);
    const detail = checkScreen(
      (await w.get(t54w, `voicemail/${w.box['101']}/msg/${DEPOSIT}`)).body,
      t54w.profile,
      w.base,
      t54w.token,
    );
    expect(detail.texts).to.include.members([
      'From: Bob Hygienist',
      'Number: 102',
      'Sat 2026-12-05 06:28',
      'Length: 3s',
    ]);
    expect(detail.targets).to.include('Dial:102');
    expect(detail.targets).to.include(`${w.base}/${t54w.token}/voicemail/${w.box['101']}/msg/${DEPOSIT}/play`);
    const polycom = checkScreen(
      (await w.get(vvx, `voicemail/${w.box['101']}/msg/${DEPOSIT}`)).body,
      vvx.profile,
      w.base,
      vvx.token,
    );
    expect(polycom.targets).to.include('tel://102');
  });

  it('plays a message: the hash names it for the phone line, then Yealink dials at once, Polycom on one press', async () => {
    const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    const vvx = w.phones.find((p) => p.profile.id === 'polycom-vvx450')!;
    const play = `voicemail/${w.box['101']}/msg/${DEPOSIT}/play`;
    const y = checkScreen((await w.get(t54w, play)).body, t54w.profile, w.base, t54w.token);
    expect(y.root.name).to.equal('YealinkIPPhoneExecute');
    expect(y.targets).to.deep.equal(['Dial:*98*']);
    const p = checkScreen((await w.get(vvx, play)).body, vvx.profile, w.base, vvx.token);
    expect(p.targets).to.include('tel://*98*');
    expect(w.esl.commandTexts()).to.include(`api hash insert/demo-vm_play/101/101:${DEPOSIT}`);
  });

  it('pages a big mailbox and escapes and clips hostile caller names', async () => {
    const hostile = [
      `<script>alert(1)</script>`,
      `A & B "quoted" 'single'`,
      `end ]]> here`,
      'Zoë 👩‍👩‍👧 Ünïcödé',
      'x'.repeat(200),
    ];
    const messages = syntheticMessages(40, (i) => hostile[i % hostile.length]!);
    w.esl.setApiReply(LIST_101, { body: vmListBody('101', 'demo.dialtone.test', messages) });
    w.voicemail.messageWaiting('101@demo.dialtone.test');
    try {
      for (const phone of w.phones) {
        const per = phone.profile.screen.itemsPerPage;
        const unheard = messages.filter((m) => m.readEpoch === 0).length;
        const pages = Math.ceil(unheard / per);
        for (let page = 1; page <= pages; page++) {
          const r = await w.get(phone, `voicemail/${w.box['101']}/new/${page}`);
          const c = checkScreen(r.body, phone.profile, w.base, phone.token);
          const more = c.targets.some((t) => t.endsWith(`/new/${page + 1}`));
          expect(more, `${phone.profile.id} page ${page} has More`).to.equal(page < pages);
          expect(r.body).to.not.contain('<script>');
          expect(r.body).to.not.contain('end ]]> here');
        }
        const beyond = await w.get(phone, `voicemail/${w.box['101']}/new/${pages + 1}`);
        expect(beyond.headers['x-dialtone-error']).to.equal('not-found');
      }
      const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
      const first = checkScreen(
        (await w.get(t54w, `voicemail/${w.box['101']}/new`)).body,
        t54w.profile,
        w.base,
        t54w.token,
      );
      const prompts = [...first.texts];
      expect(prompts.some((t) => t.includes('<script>alert(1)</script>'))).to.equal(true); // as text, escaped on the wire
      expect(prompts.some((t) => t.endsWith('…'))).to.equal(true);
    } finally {
      w.esl.clearApiReply(LIST_101);
      w.voicemail.messageWaiting('101@demo.dialtone.test');
    }
  });

  it('directory: search by last name, keypad digits, extension numbers shown only when the PBX says so', async () => {
    const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    const bob = checkScreen((await w.get(t54w, 'directory/results?q=hyg')).body, t54w.profile, w.base, t54w.token);
    expect(bob.root.name).to.equal('YealinkIPPhoneDirectory');
    expect(textOf(firstChild(firstChild(bob.root, 'DirectoryEntry')!, 'Name')!)).to.equal('Bob Hygienist');
    expect(bob.targets).to.include('Dial:102');
    // "494" spells "hyg" on the keypad; "Hygienist" is Bob's last name (the PBX searches by last name).
    const t9 = checkScreen((await w.get(t54w, 'directory/results?q=494')).body, t54w.profile, w.base, t54w.token);
    expect(t9.targets).to.include('Dial:102');
    await w.services.pbx.update({ kind: 'system' }, w.pbx.id, { readExtensionInDirectory: true });
    const shown = checkScreen((await w.get(t54w, 'directory/results?q=hyg')).body, t54w.profile, w.base, t54w.token);
    expect(shown.texts).to.include('Bob Hygienist 102');
    await w.services.pbx.update({ kind: 'system' }, w.pbx.id, { readExtensionInDirectory: false });
    const favs = checkScreen((await w.get(t54w, 'directory/favorites')).body, t54w.profile, w.base, t54w.token);
    expect(favs.texts).to.include.members(["Bob & Co's desk 102", 'Carol Billing 103']);
  });

  it('remembers renderings per screen, not per URL: the same answer twice, and a rename shows at the next request', async () => {
    for (const phone of [
      w.phones.find((p) => p.profile.id === 'yealink-t54w')!,
      w.phones.find((p) => p.profile.vendor === 'polycom')!,
    ]) {
      const first = await w.get(phone, 'directory/results?q=hyg');
      expect((await w.get(phone, 'directory/results?q=hyg')).body).to.equal(first.body);
      await w.services.objects.update({ kind: 'system' }, w.pbx.id, 'mailboxes', w.box['102']!, {
        name: 'Robert Hygienist',
      });
      try {
        const renamed = await w.get(phone, 'directory/results?q=hyg');
        expect(renamed.body).to.not.equal(first.body);
        expect(renamed.body).to.include('Robert Hygienist');
      } finally {
        await w.services.objects.update({ kind: 'system' }, w.pbx.id, 'mailboxes', w.box['102']!, {
          name: 'Bob Hygienist',
        });
      }
      expect((await w.get(phone, 'directory/results?q=hyg')).body).to.equal(first.body);
    }
  });

  it('agent status: see it, change it through mod_callcenter, and the idle page shows it', async () => {
    const [yealink, polycom] = w.agents;
    const menu = checkScreen((await w.get(yealink!, 'agent')).body, yealink!.profile, w.base, yealink!.token);
    expect(menu.texts).to.include.members(['Agent: On Break', '* On Break']);
    await w.get(yealink!, 'agent/set/available');
    expect(w.esl.commandTexts()).to.include('api callcenter_config agent set status 102@demo.dialtone.test Available');
    await w.get(polycom!, 'agent/set/on-break');
    expect(w.esl.commandTexts()).to.include("api callcenter_config agent set status 102@demo.dialtone.test 'On Break'");
    const idle = await w.get(polycom!, 'agent/idle');
    const page = checkScreen(idle.body, polycom!.profile, w.base, polycom!.token);
    expect(page.targets, 'the idle page has no links').to.deep.equal([]);
    expect(idle.body).to.match(/<meta http-equiv="refresh" content="60"/);
    expect(page.texts).to.include('Agent: On Break');
    // Not an agent (101 is in no queue): a plain explanation.
    const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    expect((await w.get(t54w, 'agent')).body).to.contain('not a queue agent');
  });

  it('vendor comes from the device record, not from the User-Agent', async () => {
    const t54w = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    const r = await w.get(t54w, 'voicemail', 'PolycomVVX-VVX_450-UA/6.4.3.5059');
    expect(r.body).to.match(/^<\?xml[^>]*\?><YealinkIPPhoneTextMenu/);
  });

  it('keeps each Yealink page small even with the longest captured caller list', () => {
    expect(fixtureBodyText('esl-api-vm_list-deposit.txt')).to.contain(HOSTILE);
  });
});
