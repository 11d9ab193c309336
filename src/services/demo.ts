// The demo PBX: one of every routing object, wired the way a small office would be. Seeding twice changes nothing.
import { PhoneNumberSchema } from '../domain/model';
import { SYSTEM } from './actor';
import type { Services } from './index';
import type { PbxView } from './pbx-service';
import { randomAlnum } from './secrets';

export interface DemoResult {
  pbx: PbxView;
  created: boolean;
  /** Printed once, when the demo is first created. */
  admin?: { username: string; password: string };
}

export async function seedDemo(services: Services, context = 'demo'): Promise<DemoResult> {
  const existing = (await services.pbx.list(SYSTEM)).find((p) => p.context === context);
  if (existing) return { pbx: existing, created: false };
  const s = SYSTEM;
  const pbx = await services.pbx.create(s, {
    context,
    name: 'Demo Dental Group',
    domain: `${context.replace(/_/g, '-')}.dialtone.test`,
    timezone: 'America/New_York',
    callerIdNumber: '2125550100',
    callerIdName: 'DEMO DENTAL',
    areaCode: '212',
    prepaidPaths: 4,
    onDemandPaths: 2,
  });
  const id = pbx.id;
  const o = services.objects;
  // Phone numbers are unique across PBXs: each demo takes the next free pair of 212-555-01xx (fictional range).
  const taken = new Set(
    (await services.orm.em.fork().find(PhoneNumberSchema, {}, { fields: ['number'] })).map((n) => n.number),
  );
  let n = 100;
  while (taken.has(`2125550${n}`) || taken.has(`2125550${n + 1}`)) n += 2;
  const main = await o.create(s, id, 'numbers', { number: `2125550${n}`, routeTo: { kind: 'hangup' }, state: 'NY' });
  const fax = await o.create(s, id, 'numbers', { number: `2125550${n + 1}`, routeTo: { kind: 'hangup' }, state: 'NY' });
  const office = await o.create(s, id, 'e911', {
    name: 'Main office',
    street: '350 Fifth Avenue',
    unit: 'Suite 4100',
    city: 'New York',
    state: 'NY',
    zip: '10118',
    callbackNumberId: main.id,
    termsAccepted: true,
  });
  const people = [
    ['101', 'Alice Reception'],
    ['102', 'Bob Hygienist'],
    ['103', 'Carol Billing'],
  ] as const;
  const ext: Record<string, number> = {};
  for (const [number, name] of people) {
    const box = await o.create(s, id, 'mailboxes', { number, name, password: `9${number}4`, email: null });
    const e = await o.create(
      s,
      id,
      'extensions',
      { number, name, e911LocationId: office.id, mailboxId: box.id, outgoingCallerIdNumberId: main.id },
      { sipPassword: randomAlnum(20) },
    );
    ext[number] = e.id as number;
  }
  const general = await o.create(s, id, 'mailboxes', { number: '100', name: 'General Mailbox', password: '7391' });
  const holdMusic = await o.create(s, id, 'hold-music', { name: 'Classical', outbound: true });
  const sales = await o.create(s, id, 'groups', {
    name: 'Front desk',
    strategy: 'simultaneous',
    secondsToRing: 20,
    memberIds: [ext['101'], ext['102']],
    afterRing: { kind: 'mailbox', id: general.id },
  });
  const queue = await o.create(s, id, 'queues', {
    name: 'Billing',
    number: '600',
    agentIds: [ext['103'], ext['102']],
    timeout: { kind: 'mailbox', id: general.id },
    holdMusicGroupId: holdMusic.id,
  });
  const conference = await o.create(s, id, 'conferences', { number: '800', password: '2468', announceCount: true });
  const attendant = await o.create(s, id, 'attendants', {
    name: 'Main menu',
    timeoutSec: 10,
    digitTimeoutSec: 3,
    buttons: {
      '0': { kind: 'extension', id: ext['101'] },
      '1': { kind: 'group', id: sales.id },
      '2': { kind: 'queue', id: queue.id },
      '3': { kind: 'conference', id: conference.id },
      '*': { kind: 'company_directory' },
      timeout: { kind: 'mailbox', id: general.id },
    },
  });
  const hours = await o.create(s, id, 'time-frames', {
    name: 'Business hours',
    rules: [{ days: [1, 2, 3, 4, 5], from: '08:30', to: '17:30' }],
    during: { kind: 'auto_attendant', id: attendant.id },
    after: { kind: 'mailbox', id: general.id },
  });
  await o.update(s, id, 'numbers', main.id as number, {
    routeTo: { kind: 'time_frame', id: hours.id },
    ifHoliday: { kind: 'mailbox', id: general.id },
    holdMusicGroupId: holdMusic.id,
  });
  await o.update(s, id, 'numbers', fax.id as number, { routeTo: { kind: 'auto_attendant', id: attendant.id } });
  await o.create(s, id, 'holidays', { name: 'New Year', date: `${new Date().getUTCFullYear() + 1}-01-01` });
  await o.create(s, id, 'call-blocks', { number: '8005550199', direction: 'inbound', comment: 'Robocaller' });
  await o.create(s, id, 'conference-hubs', { name: 'Conference line' });
  const password = randomAlnum(16);
  const username = `admin@${pbx.domain}`;
  await services.users.create(s, id, { username, password, type: 'admin', firstName: 'Demo', lastName: 'Admin' });
  return { pbx, created: true, admin: { username, password } };
}
