// Field rules for devices (desk phones) and portal users.
import { type Device, type LineKey, type PortalUser, USER_TYPES } from '../model';
import { printable } from '../printable';
import type { PbxSnapshot } from '../snapshot';
import { Fields } from '../validate';

/** Normalises a MAC written as aa:bb:cc:dd:ee:ff, AA-BB-…, aabb.ccdd.eeff or aabbccddeeff to 12 lowercase hex digits. */
export function normaliseMac(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const hex = raw.trim().toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex) || hex === '000000000000' || hex === 'ffffffffffff') return null;
  return hex;
}

export type DeviceFields = Pick<Device, 'mac' | 'profileId' | 'label' | 'extensionIds' | 'lineKeys'>;

export function parseDevice(
  f: Fields,
  snap: PbxSnapshot,
  id: number | null,
  profileIds: ReadonlySet<string>,
): DeviceFields {
  const mac = normaliseMac(f.raw('mac'));
  if (!mac) f.fail('mac', 'must be a MAC address such as 00:04:f2:ab:cd:ef');
  const profileId = f.string('profileId') ?? '';
  if (!profileIds.has(profileId))
    f.fail('profileId', `unknown phone model; known: ${[...profileIds].sort().join(', ')}`);
  const extensionIds = f.idList('extensionIds', 16);
  if (!extensionIds.length) f.fail('extensionIds', 'select the extension of line 1');
  for (const e of extensionIds)
    if (!snap.extensions.some((x) => x.id === e)) f.fail('extensionIds', `extension #${e} does not exist in this PBX`);
  const raw = f.raw('lineKeys') ?? [];
  const lineKeys: LineKey[] = [];
  if (!Array.isArray(raw) || raw.length > 200) f.fail('lineKeys', 'must be a list of at most 200 keys');
  else
    raw.forEach((k, i) => {
      const kf = new Fields((k ?? {}) as Record<string, unknown>);
      const type = kf.oneOf('type', ['blf', 'park', 'speed_dial'] as const);
      const label = kf.optionalText('label', 20) ?? undefined;
      if (type === 'blf') {
        const extensionId = kf.optionalId('extensionId') ?? 0;
        if (!snap.extensions.some((x) => x.id === extensionId))
          kf.fail('extensionId', 'extension does not exist in this PBX');
        lineKeys.push({ type, extensionId, ...(label ? { label } : {}) });
      } else if (type === 'park') {
        const start = snap.pbx.featureCodes.parkSlotsStart;
        const slot = kf.int('slot', { min: start, max: start + snap.pbx.featureCodes.parkSlotsCount - 1 });
        lineKeys.push({ type, slot, ...(label ? { label } : {}) });
      } else {
        const number = kf.string('number') ?? '';
        if (!/^[0-9*#]{2,20}$/.test(number)) kf.fail('number', 'must be 2 to 20 of 0-9, * and #');
        lineKeys.push({ type, number, ...(label ? { label } : {}) });
      }
      for (const [field, m] of Object.entries(kf.errors)) f.fail(`lineKeys.${i + 1}.${field}`, m);
    });
  if (mac && snap.devices.some((d) => d.id !== id && d.mac === mac)) f.fail('mac', 'this phone is already registered');
  return { mac: mac ?? '', profileId, label: f.optionalText('label', 50), extensionIds, lineKeys };
}

export const MODULES = [
  'activity',
  'voicemail',
  'pbx_info',
  'phone_numbers',
  'e911',
  'extensions',
  'mailboxes',
  'auto_attendants',
  'time_frames',
  'groups',
  'conference',
  'listen_live',
  'holidays',
  'hold_music',
  'call_blocking',
  'queues',
  'sip_trunks',
  'devices',
  'users',
] as const;
export type Module = (typeof MODULES)[number];

/** Modules an employee can ever open: only what concerns their own extension and mailbox. */
export const EMPLOYEE_MODULES: readonly Module[] = ['activity', 'voicemail', 'extensions', 'mailboxes'];

export type UserFields = Omit<PortalUser, 'id' | 'pbxId' | 'passwordHash' | 'createdAt' | 'disabledAt'>;

export function parseUser(
  f: Fields,
  snap: PbxSnapshot,
  id: number | null,
  allUsernames: (u: string) => boolean,
): UserFields {
  const username = (f.textOnly('username') ?? '').toLowerCase();
  if (!/^[a-z0-9._%+@-]{3,254}$/.test(username))
    f.fail('username', 'must be 3 to 254 of a-z, 0-9 and . _ % + @ - (an email address is recommended)');
  else if (allUsernames(username)) f.fail('username', 'is already taken');
  const type = f.oneOf('type', USER_TYPES);
  const extensionId = f.optionalId('extensionId');
  if (extensionId !== null && !snap.extensions.some((e) => e.id === extensionId))
    f.fail('extensionId', 'extension does not exist in this PBX');
  if (type === 'employee' && extensionId === null) f.fail('extensionId', 'an employee needs their extension');
  const allowed: readonly string[] = type === 'admin' ? MODULES : EMPLOYEE_MODULES;
  const permRaw = f.raw('permissions');
  let permissions: string[] = [...allowed];
  if (permRaw !== undefined && permRaw !== null && permRaw !== 'default') {
    const list = Array.isArray(permRaw)
      ? permRaw.map(String)
      : String(permRaw)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
    const bad = list.filter((m) => !allowed.includes(m));
    if (bad.length)
      f.fail(
        'permissions',
        `not available to ${type}: ${bad
          .slice(0, 5)
          .map((m) => printable(m, 30))
          .join(', ')}`,
      );
    permissions = list.filter((m) => allowed.includes(m));
  }
  void id;
  return {
    username,
    type,
    extensionId,
    firstName: f.text('firstName', { max: 50, fallback: '' }),
    lastName: f.text('lastName', { max: 50, fallback: '' }),
    email: f.email('email'),
    permissions,
  };
}
