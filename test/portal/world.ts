// Two PBXs for portal tests: "acme" (an administrator, an employee on extension 201, extension 202 of someone else)
// and "other" (a tenant whose objects carry a marker name that must never appear on acme's pages).
import { SYSTEM } from '../../src/services/actor';
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
  return { acme, other, adminId, employeeId, colleagueId, otherAdminId };
}
