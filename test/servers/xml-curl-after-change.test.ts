// xml_curl answers memoised per PBX revision: after each change, the answerer that served the old revision answers
// exactly what a fresh answerer (fresh snapshots, empty memos) renders, for every user, the domain and the dialplan.
import { expect } from 'chai';
import { DEFAULT_OPTIONS } from '../../src/freeswitch/generator';
import { XmlCurlAnswerer } from '../../src/freeswitch/xml-curl-answer';
import { parseXmlCurlRequest } from '../../src/freeswitch/xml-curl-request';
import { SYSTEM } from '../../src/services/actor';
import { seedDemo } from '../../src/services/demo';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { forEachEngine } from '../helpers/databases';
import { openWorld, type TestWorld } from '../helpers/services';

forEachEngine('xml_curl answers after a change', (engine) => {
  let w: TestWorld;
  let pbxId: number;
  const domain = 'curl-change.dialtone.test';
  before(async () => {
    w = await openWorld(engine);
    await seedDemo(w.services, 'curl_change');
    pbxId = (await w.services.pbx.byContext('curl_change')).id;
  });
  after(async () => w?.close());

  async function lookups(): Promise<string[]> {
    const snap = (await new LiveSnapshots(w.orm).byContext('curl_change'))!.snap;
    const users = [...snap.extensions.map((e) => e.number), ...snap.mailboxes.map((m) => m.number), '999'];
    return [
      ...users.map((u) => `section=directory&action=sip_auth&domain=${domain}&user=${u}&sip_auth_username=${u}`),
      ...users.map((u) => `section=directory&domain=${domain}&user=${u}`),
      `section=directory&domain=${domain}`,
      'section=dialplan&Hunt-Context=curl_change&Hunt-Destination-Number=101',
      // Inbound calls: the public context's entries for each number (memoised per revision too).
      ...[...snap.phoneNumbers.map((n) => n.number), '2125559871'].map(
        (n) => `section=dialplan&Hunt-Context=public&Hunt-Destination-Number=1${n}`,
      ),
      'section=configuration&key_value=voicemail.conf',
      'section=configuration&key_value=directory.conf',
    ];
  }

  /** Every lookup's answer, in order. */
  async function answers(answerer: XmlCurlAnswerer, bodies: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const body of bodies) out.push(await answerer.answer(parseXmlCurlRequest(body)));
    return out;
  }

  it('answers each change as a fresh full render does, for every user, the domain and the dialplan', async () => {
    const kept = new XmlCurlAnswerer(new LiveSnapshots(w.orm), DEFAULT_OPTIONS);
    const o = w.services.objects;
    const snap = (await new LiveSnapshots(w.orm).byContext('curl_change'))!.snap;
    const [first, second] = snap.extensions;
    // Each change touches what the memos hold: a user's own text, the domain's shared variables (the most common
    // outgoing caller ID), a new user, a removed one.
    const fax = snap.phoneNumbers[1];
    let added = 0;
    const changes: Array<[string, () => Promise<unknown>]> = [
      ['rename', () => o.update(SYSTEM, pbxId, 'extensions', first.id, { name: 'Renamed Person' })],
      ['caller ID', () => o.update(SYSTEM, pbxId, 'extensions', first.id, { outgoingCallerIdNumberId: fax.id })],
      [
        'majority caller ID',
        () => o.update(SYSTEM, pbxId, 'extensions', second.id, { outgoingCallerIdNumberId: fax.id }),
      ],
      ['new mailbox', () => o.create(SYSTEM, pbxId, 'mailboxes', { number: '150', name: 'New Box', password: '4862' })],
      ['new number', () => o.create(SYSTEM, pbxId, 'numbers', { number: '2125559871', routeTo: { kind: 'hangup' } })],
      // The directory answers of the previous revision are carried over when the change cannot touch them (a number
      // nobody's caller ID is, routing): these check both sides of that line.
      [
        'caller-ID name of a number in use',
        () => o.update(SYSTEM, pbxId, 'numbers', fax.id, { callerIdName: 'Fax Line' }),
      ],
      [
        'routing only',
        () => o.update(SYSTEM, pbxId, 'numbers', fax.id, { routeTo: { kind: 'hangup' }, ifHoliday: null }),
      ],
      [
        'PBX setting the directory shows',
        async () => {
          const pbx = await w.services.pbx.get(SYSTEM, pbxId);
          await w.services.pbx.update(SYSTEM, pbxId, { readExtensionInDirectory: !pbx.readExtensionInDirectory });
        },
      ],
      [
        'new extension',
        async () => {
          added = (
            await o.create(SYSTEM, pbxId, 'extensions', {
              number: '190',
              name: 'Temp Person',
              e911LocationId: first.e911LocationId,
              sipPassword: 'Tmp0Passw0rd99',
            })
          ).id as number;
        },
      ],
      ['extension removed', () => o.delete(SYSTEM, pbxId, 'extensions', added)],
    ];
    let before = await answers(kept, await lookups());
    for (const [what, change] of changes) {
      await change();
      const bodies = await lookups();
      const after = await answers(kept, bodies);
      const fresh = await answers(new XmlCurlAnswerer(new LiveSnapshots(w.orm), DEFAULT_OPTIONS), bodies);
      expect(after, what).to.deep.equal(fresh);
      expect(after.join(''), `${what} shows`).to.not.equal(before.join(''));
      before = after;
    }
  });
});
