// Voicemail in real Chromium over the fake event socket: an employee sees their messages (PBX time, length,
// New/Saved), plays one in the page's <audio> player (the WAV streamed with ranges), marks it saved, deletes another
// after confirming; an administrator picks a mailbox and folder. Screenshots at laptop and phone sizes.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { syntheticMessages } from '../fakes/vm-list-fixture';
import { type Browser, openBrowser, screenshots } from '../helpers/browser';
import { ENGINES } from '../helpers/databases';
import { PASSWORD, type PortalServer, startPortal } from '../helpers/portal';
import { openVoicemailWorld, type VoicemailWorld } from '../helpers/voicemail-world';

const ACME = 'acme.pbx.local';

describe('portal voicemail end to end (Chromium)', function () {
  this.timeout(180_000);
  let w: VoicemailWorld;
  let server: PortalServer;
  let browser: Browser;

  before(async () => {
    w = await openVoicemailWorld(ENGINES[0]);
    server = await startPortal(w.services);
  });
  beforeEach(async () => {
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
  });
  after(async () => {
    await server?.close();
    await w?.close();
  });

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/`);
  }

  it('an employee sees their messages, plays one, marks it saved and deletes another', async () => {
    const names = ['Dana Whitfield-Okonkwo (Front desk)', 'Hostile <b>&amp; "x"', 'Pat Lee', 'Sam Ortiz'];
    const messages = syntheticMessages(4, (i) => names[i]!).map((m) => ({ ...m, readEpoch: 0 }));
    w.setMessages('201', ACME, messages);
    const page = browser.page;
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.accept();
    });
    await logIn(page, 'emp@acme.test');
    // The menu's count is asked in the background (a page never waits long on FreeSWITCH): there by the next page.
    await page.reload();
    expect(
      await page
        .locator('.tabs')
        .getByRole('link', { name: /Voicemail/ })
        .textContent(),
    ).to.match(/Voicemail\s*4/);
    await screenshots(page, 'vm-home-employee');

    await page
      .locator('.tabs')
      .getByRole('link', { name: /Voicemail/ })
      .click();
    await page.waitForURL(/\/voicemail\/mailboxes\/\d+\?folder=new$/);
    const items = page.locator('.vm-message');
    expect(await items.count()).to.equal(4);
    expect(await items.first().textContent()).to.include('Sam Ortiz');
    expect(await page.getByText('Hostile <b>&amp; "x"').count()).to.equal(1); // shown as text, not markup
    await screenshots(page, 'vm-mailbox-employee');

    // Play the newest message in the page's player: the browser fetches the WAV (with ranges) and plays it.
    const played = await page
      .locator('audio.vm-message__player')
      .first()
      .evaluate(async (el) => {
        const a = el as unknown as {
          muted: boolean;
          play(): Promise<void>;
          currentTime: number;
          duration: number;
          error: { code: number } | null;
        };
        a.muted = true;
        await a.play();
        await new Promise((r) => setTimeout(r, 600));
        return { time: a.currentTime, duration: a.duration, error: a.error?.code ?? null };
      });
    expect(played.error).to.equal(null);
    expect(played.time).to.be.greaterThan(0);
    expect(played.duration).to.be.closeTo(0.5, 0.05); // the 4th WAV the world wrote: 0.5 s
    const newest = messages[3]!.uuid;

    await items.first().getByRole('button', { name: 'Mark Saved' }).click();
    await page.waitForURL(/folder=new$/);
    expect(await page.locator('.flash').textContent()).to.include('Message marked saved.');
    expect(await page.locator('.vm-message').count()).to.equal(3);
    expect(w.esl.commandTexts()).to.include(`api vm_read 201@${ACME} read ${newest}`);

    await page.locator('.vm-message').first().getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/folder=new$/);
    expect(dialogs).to.deep.equal(['Delete this message? It is removed from the mailbox and the phone.']);
    expect(await page.locator('.flash').textContent()).to.include('Message deleted.');
    expect(await page.locator('.vm-message').count()).to.equal(2);
    expect(w.messagesOf('201', ACME).map((m) => m.uuid)).to.not.include(messages[2]!.uuid);
    await screenshots(page, 'vm-after-delete-employee');

    await page.getByRole('link', { name: /Saved/ }).click();
    await page.waitForURL(/folder=saved$/);
    expect(await page.locator('.vm-message').count()).to.equal(1);
    expect(await page.locator('.vm-message').textContent()).to.include('Sam Ortiz');
    await screenshots(page, 'vm-saved-employee');
  });

  it('an administrator picks a mailbox and a folder and clicks Submit', async () => {
    w.setMessages(
      '202',
      ACME,
      syntheticMessages(2, (i) => `Caller ${i}`),
    );
    const page = browser.page;
    await logIn(page, 'admin@acme.test');
    await page.goto(`${server.url}/voicemail`);
    await screenshots(page, 'vm-index-admin');
    await page.getByLabel('Mailbox').selectOption({ label: '202 Yankee Colleague' });
    await page.getByLabel('Folder').selectOption({ label: 'New' });
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/voicemail\/mailboxes\/\d+\?folder=new$/);
    expect(await page.locator('.vm-message').count()).to.be.greaterThan(0);
    await screenshots(page, 'vm-mailbox-admin');
  });
});
