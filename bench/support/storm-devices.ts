// Boot-storm phones: deterministic identities (MAC, model, provisioning credentials) shared by the bench's server side
// (bulk insert) and its load generator (boot sequences with digest auth), so nothing secret crosses the process boundary.
import type { MikroORM } from '@mikro-orm/core';
import { DeviceSchema, ExtensionSchema } from '../../src/domain/model';
import { pendingAppTokenHash } from '../../src/provisioning/app-token';
import { DIGEST_REALM, digestHa1 } from '../../src/provisioning/digest';

export const POLYCOM_PROFILE = 'polycom-vvx450';
export const YEALINK_PROFILE = 'yealink-t54w';
export const POLYCOM_USER_AGENT = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2152 Type/Application';
export const YEALINK_MODEL_CODE = '96';

export interface StormPhone {
  index: number;
  vendor: 'polycom' | 'yealink';
  mac: string;
  username: string;
  password: string;
}

/** Phone number `index` (0-based): even ones are Polycom VVX 450, odd ones Yealink T54W. */
export function stormPhone(index: number): StormPhone {
  const vendor = index % 2 === 0 ? 'polycom' : 'yealink';
  const oui = vendor === 'polycom' ? '0004f2' : '805ec0';
  return {
    index,
    vendor,
    mac: `${oui}${(index + 1).toString(16).padStart(6, '0')}`,
    username: `storm${index}`,
    password: `Storm-Prov-${index}-x9`,
  };
}

/** A Yealink T54W User-Agent carrying the phone's MAC, as v86 firmware sends it. */
export function yealinkUserAgent(mac: string): string {
  return `Yealink SIP-T54W 96.86.0.100 ${mac.match(/../g)?.join(':')}`;
}

function chunk<T>(rows: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Inserts `count` phones into the PBX, phone i with line 1 = the PBX's i-th extension (by id) and no line keys. HA1 is
 * computed as DeviceService does (MD5 of user:realm:password with the provisioning realm). Returns the SIP password of
 * each phone's extension (what its config must contain).
 */
export async function insertStormPhones(orm: MikroORM, pbxId: number, count: number): Promise<string[]> {
  const em = orm.em.fork();
  const exts = await em.find(
    ExtensionSchema,
    { pbxId },
    { orderBy: { id: 'asc' }, fields: ['id', 'sipPassword'], limit: count },
  );
  if (exts.length < count) throw new Error(`the PBX has ${exts.length} extensions, ${count} phones need one each`);
  const rows = exts.map((ext, index) => {
    const phone = stormPhone(index);
    const salt = `${index.toString(16).padStart(8, '0')}${'5a'.repeat(12)}`;
    return {
      pbxId,
      mac: phone.mac,
      profileId: phone.vendor === 'polycom' ? POLYCOM_PROFILE : YEALINK_PROFILE,
      label: `Desk ${index}`,
      extensionIds: [ext.id],
      lineKeys: [],
      provisioningUsername: phone.username,
      provisioningHa1: digestHa1(phone.username, phone.password, DIGEST_REALM),
      armedUntil: null,
      appTokenSalt: salt,
      appTokenHash: pendingAppTokenHash(salt),
      lastSeenAt: null,
      lastIp: null,
      lastUserAgent: null,
    };
  });
  for (const c of chunk(rows)) await em.insertMany(DeviceSchema, c);
  return exts.map((e) => e.sipPassword);
}
