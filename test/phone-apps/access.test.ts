// Access to the phone apps: a wrong, malformed, rotated or revoked token gets a plain screen in the phone's format
// and a log line (never a stack trace or an HTML error page); rate limits per token and per address; the vendor and
// the mailboxes come from the device record; hostile names from a hand-edited database render escaped and clipped.

import { expect } from 'chai';
import { MailboxSchema } from '../../src/domain/model';
import { bumpRevision } from '../../src/revision-subscriber';
import { SYSTEM } from '../../src/services/actor';
import { checkScreen } from './validate-screen';
import { type AppsWorld, openAppsWorld } from './world';

const YEALINK_UA = 'Yealink SIP-T54W 96.86.0.100 80:5e:c0:12:34:56';
const POLYCOM_UA = 'PolycomVVX-VVX_450-UA/6.4.3.5059';

describe('phone apps: tokens, limits and hostile data', function () {
  this.timeout(60_000);
  let w: AppsWorld;

  // One world with generous limits; the rate-limit test opens its own with tight ones.
  before(async () => {
    w = await openAppsWorld({ perAddressMisses: { burst: 1000, perSecond: 1000 } });
  });
  after(async () => w?.close());

  const tokenRefusals = () => w.logs.filter((l) => l.msg === 'phone-apps: token refused');

  it('answers an unknown token with an error screen in the format the User-Agent names, and logs it', async () => {
    const made = 'A'.repeat(43);
    const y = await w.raw(`/phone-apps/${made}/voicemail`, { 'User-Agent': YEALINK_UA });
    expect(y.status).to.equal(200);
    expect(y.headers['x-dialtone-error']).to.equal('token');
    expect(y.body).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?><YealinkIPPhoneTextScreen/);
    expect(y.body).to.contain('Invalid phone link.');
    const p = await w.raw(`/phone-apps/${made}/voicemail`, { 'User-Agent': POLYCOM_UA });
    expect(p.body).to.match(/^<html xmlns="http:\/\/www.w3.org\/1999\/xhtml">/);
    const none = await w.raw(`/phone-apps/${made}/directory`, { 'User-Agent': 'curl/8.0' });
    expect(none.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect(none.body).to.equal('Invalid phone link.\nRestart the phone.\n');
    expect(tokenRefusals()).to.have.length.at.least(3);
    expect(JSON.stringify(tokenRefusals()[0])).to.not.contain(made); // the token itself is never logged
    expect(tokenRefusals()[0]!.fields).to.include({ ip: '127.0.0.1', reason: 'unknown, revoked or rotated token' });
  });

  it('refuses malformed tokens and path tricks without a database question', async () => {
    for (const path of [`/phone-apps/${'a'.repeat(44)}/voicemail`, '/phone-apps/<script>/voicemail', '/phone-apps/']) {
      const r = await w.raw(path, { 'User-Agent': YEALINK_UA });
      expect(r.status, path).to.equal(200);
      expect(r.headers['x-dialtone-error'], path).to.be.oneOf(['token', 'rate']);
      expect(r.body).to.not.match(/at .*\.ts:\d+|Error:/);
    }
  });

  // The rotation and revocation tests spend these two phones; the others keep working.
  const SPENT = ['yealink-t31g', 'polycom-vvx150'];

  it('a rotated token stops working at once; the new one works after the phone fetches its config', async () => {
    const phone = w.phones.find((p) => p.profile.id === 'yealink-t31g')!;
    expect((await w.get(phone, 'voicemail')).headers['x-dialtone-error']).to.equal(undefined);
    await w.devices.rotateAppToken(SYSTEM, phone.mac);
    const r = await w.get(phone, 'voicemail');
    expect(r.headers['x-dialtone-error']).to.equal('token');
    expect(r.body).to.match(/YealinkIPPhoneTextScreen/);
    const old = phone.token;
    await w.provision(phone);
    expect(phone.token).to.not.equal(old);
    expect((await w.get(phone, 'voicemail')).headers['x-dialtone-error']).to.equal(undefined);
    expect((await w.get({ ...phone, token: old }, 'voicemail')).headers['x-dialtone-error']).to.equal('token');
  });

  it('a deleted phone (revoked) is refused the same way', async () => {
    const phone = w.phones.find((p) => p.profile.id === 'polycom-vvx150')!;
    await w.devices.delete(SYSTEM, w.pbx.id, phone.deviceId);
    const r = await w.get(phone, 'directory');
    expect(r.headers['x-dialtone-error']).to.equal('token');
    expect(r.body).to.match(/^<html/);
  });

  it('limits each token, and slows down an address that keeps sending bad tokens', async () => {
    const main = w;
    w = await openAppsWorld({
      perToken: { burst: 5, perSecond: 0.001 },
      perAddressMisses: { burst: 3, perSecond: 0.001 },
    });
    try {
      await limits();
    } finally {
      await w.close();
      w = main;
    }
  });

  async function limits(): Promise<void> {
    const phone = w.phones.find((p) => p.profile.id === 'yealink-t46u')!;
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 7; i++) codes.push((await w.get(phone, 'directory')).headers['x-dialtone-error'] as string);
    expect(codes.slice(0, 5)).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    expect(codes.slice(5)).to.deep.equal(['rate', 'rate']);
    const limited = await w.get(phone, 'directory');
    expect(limited.headers['retry-after']).to.match(/^\d+$/);
    checkScreen(limited.body, phone.profile, w.base, phone.token);
    // Another phone is not affected.
    const other = w.phones.find((p) => p.profile.id === 'yealink-t48u')!;
    expect((await w.get(other, 'directory')).headers['x-dialtone-error']).to.equal(undefined);
    // Bad tokens: three misses, then the address is slowed down before any lookup.
    for (let i = 0; i < 3; i++) await w.raw(`/phone-apps/${'B'.repeat(43)}/voicemail`, { 'User-Agent': YEALINK_UA });
    const slowed = await w.raw(`/phone-apps/${'C'.repeat(43)}/voicemail`, { 'User-Agent': YEALINK_UA });
    expect(slowed.headers['x-dialtone-error']).to.equal('rate');
    expect(w.logs.some((l) => l.msg.includes('slowing it down'))).to.equal(true);
    // A phone behind the same address whose token was recognised before keeps working (a customer's NAT).
    expect((await w.get(other, 'directory')).headers['x-dialtone-error']).to.equal(undefined);
  }

  it("only the phone's own mailboxes: another mailbox id is 'not found' on its screen", async () => {
    const phone = w.phones.find((p) => p.profile.id === 'yealink-t54w')!;
    const r = await w.get(phone, `voicemail/${w.box['102']}/new`);
    expect(r.headers['x-dialtone-error']).to.equal('not-found');
    expect(w.esl.commandTexts().some((c) => c.includes('vm_list 102@'))).to.equal(false);
  });

  it('names a validator would refuse (a hand-edited database) still render escaped and clipped', async () => {
    const evil = `<b>Mallory</b> & "Eve" ]]> ${'Z'.repeat(200)}`;
    await w.orm.em.fork().nativeUpdate(MailboxSchema, { id: w.box['102']! }, { name: evil });
    // A new revision naming the row (a hand edit nobody logs shows only at the next whole read: live-snapshots.ts).
    await bumpRevision(w.orm.em.getConnection(), undefined, w.pbx.id, [['Mailbox', w.box['102']!]]);
    for (const phone of w.phones.filter((p) => !SPENT.includes(p.profile.id))) {
      const r = await w.get(phone, 'directory/results?q=');
      expect(r.body).to.not.contain('<b>Mallory');
      expect(r.body).to.not.contain(']]> Z');
      const c = checkScreen(r.body, phone.profile, w.base, phone.token);
      expect(c.texts.some((t) => t.startsWith('<b>Mallory</b> & "Eve"') || t.startsWith('<b>Mallory'))).to.equal(true);
      expect(c.texts.some((t) => t.endsWith('…'))).to.equal(true);
    }
  });
  it('FreeSWITCH down: a plain "try again" screen, never an error page', async () => {
    const phone = w.phones.find((p) => p.profile.id === 'polycom-vvx450')!;
    // Earlier tests listed this mailbox: a list still fresh in the cache would (rightly) be served without asking
    // FreeSWITCH, so forget it as an MWI event would, then take FreeSWITCH away.
    w.voicemail.messageWaiting(`101@${w.pbx.domain}`);
    await w.esl.close();
    const r = await w.get(phone, 'voicemail');
    expect(r.headers['x-dialtone-error']).to.equal('unavailable');
    expect(r.body).to.contain('No answer from PBX.');
    checkScreen(r.body, phone.profile, w.base, phone.token);
  });

  it('takes GET and HEAD only, and leaves every other URL to the portal', async () => {
    const phone = w.phones.find((p) => p.profile.id === 'yealink-t46u')!;
    const url = `${w.base}/${phone.token}/voicemail`;
    const post = await fetch(url, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).to.deep.equal([405, 'GET, HEAD']);
    const head = await fetch(url, { method: 'HEAD', headers: { 'User-Agent': phone.userAgent } });
    expect(head.status).to.equal(200);
    expect(await head.text()).to.equal('');
    expect(Number(head.headers.get('content-length'))).to.be.greaterThan(100);
    expect((await w.raw('/phone-appsx/y')).body).to.equal('portal');
  });
});
