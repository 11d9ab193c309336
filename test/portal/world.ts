// Two PBXs for portal tests: "acme" (an administrator, an employee on extension 201, extension 202 of someone else)
// and "other" (a tenant whose objects carry a marker name that must never appear on acme's pages).
import { SYSTEM } from '../../src/services/actor';
import { standaloneDeviceService } from '../../src/services/device-setup';
import { makeUser } from '../helpers/portal';
import type { TestWorld } from '../helpers/services';
import { makePbx } from '../helpers/services';
import { partBObjects } from './world-part-b';

export const MARK_OTHER_PBX = 'Zulu Othertenant';
export const MARK_OTHER_EMPLOYEE = 'Yankee Colleague';

export async function portalWorld(w: TestWorld) {
  const acme = await makePbx(w.services, 'acme');
  const other = await makePbx(w.services, 'other');
  const s = w.services;
  await s.objects.update(SYSTEM, acme.pbx.id, 'extensions', acme.ext['202'].id, { name: MARK_OTHER_EMPLOYEE });
  await s.objects.update(SYSTEM, acme.pbx.id, 'mailboxes', acme.ext['202'].mailboxId, { name: MARK_OTHER_EMPLOYEE });
  for (const n of ['201', '202']) {
    await s.objects.update(SYSTEM, other.pbx.id, 'extensions', other.ext[n].id, { name: MARK_OTHER_PBX });
    await s.objects.update(SYSTEM, other.pbx.id, 'mailboxes', other.ext[n].mailboxId, { name: MARK_OTHER_PBX });
  }
  // A phone in each PBX (Devices, /install): labelled with the markers that must not leak.
  const devices = standaloneDeviceService(w.orm, 'http://127.0.0.1');
  const device = async (pbx: typeof acme, mac: string, label: string) =>
    (
      await devices.add(SYSTEM, pbx.pbx.id, {
        mac,
        profileId: 'yealink-t54w',
        label,
        extensionIds: [pbx.ext['202'].id],
        lineKeys: [],
      })
    ).device.id;
  const acmeDeviceId = await device(acme, '805ec0aa0001', MARK_OTHER_EMPLOYEE);
  const otherDeviceId = await device(other, '805ec0bb0001', MARK_OTHER_PBX);
  // An auto attendant in each PBX (portal part 2a), so the IDOR sweep has attendant ids of both tenants.
  await s.objects.create(SYSTEM, acme.pbx.id, 'attendants', { name: 'Main Menu', buttons: {} });
  await s.objects.create(SYSTEM, other.pbx.id, 'attendants', { name: MARK_OTHER_PBX, buttons: {} });
  await callFlowObjects(w, acme.pbx.id, acme.ext['202'].id, MARK_OTHER_EMPLOYEE);
  await callFlowObjects(w, other.pbx.id, other.ext['201'].id, MARK_OTHER_PBX);
  const adminId = await makeUser(s, acme.pbx.id, 'admin@acme.test');
  const employeeId = await makeUser(s, acme.pbx.id, 'emp@acme.test', {
    type: 'employee',
    extensionId: acme.ext['201'].id,
    firstName: 'Emma',
  });
  const colleagueId = await makeUser(s, acme.pbx.id, 'colleague@acme.test', {
    type: 'employee',
    extensionId: acme.ext['202'].id,
    firstName: 'Yankee',
    lastName: 'Colleague',
  });
  const otherAdminId = await makeUser(s, other.pbx.id, 'admin@other.test', {
    firstName: 'Zulu',
    lastName: 'Othertenant',
  });
  await partBObjects(s, { acme: acme.pbx.id, other: other.pbx.id }, MARK_OTHER_PBX);
  return { acme, other, adminId, employeeId, colleagueId, otherAdminId, acmeDeviceId, otherDeviceId };
}

/** A time frame, a group, a conference room and a hub (for the IDOR sweep of those pages), named with `marker`. */
async function callFlowObjects(w: TestWorld, pbxId: number, extensionId: number, marker: string) {
  const o = w.services.objects;
  await o.create(SYSTEM, pbxId, 'time-frames', {
    name: `${marker} hours`,
    rules: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
    during: `extension:${extensionId}`,
    after: 'hangup',
  });
  await o.create(SYSTEM, pbxId, 'groups', { name: `${marker} group`, memberIds: [extensionId] });
  await o.create(SYSTEM, pbxId, 'conferences', { number: '801', password: '2468' });
  await o.create(SYSTEM, pbxId, 'conference-hubs', { name: `${marker} hub`, number: '800' });
}
