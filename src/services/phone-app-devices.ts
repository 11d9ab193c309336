// Which phone is asking: the phone-app token in the URL, hashed and looked up among devices. A wrong, revoked or
// rotated token matches nothing (the database keeps only the hash of the current token, see app-token.ts).
import type { MikroORM } from '@mikro-orm/core';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { appTokenHash } from '../provisioning/app-token';
import type { LiveSnapshots } from './live-snapshots';
import type { DeviceViewer } from './voicemail-access';

export interface PhoneAppDevice {
  readonly device: Device;
  /** The PBX as of now (one copy per revision, shared with xml_curl and provisioning). */
  readonly snap: PbxSnapshot;
  readonly viewer: DeviceViewer;
}

/** base64url of 32 bytes, what appTokenFor() makes: anything else is refused before touching the database. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class PhoneAppDevices {
  constructor(
    private readonly orm: MikroORM,
    private readonly live: LiveSnapshots,
  ) {}

  /** The device whose current token this is, or null. One indexed lookup by hash per request, never cached. */
  async byToken(token: string): Promise<PhoneAppDevice | null> {
    if (!TOKEN.test(token)) return null;
    const rows = (await this.orm.em
      .getConnection()
      .execute('select id, pbx_id from device where app_token_hash = ?', [appTokenHash(token)])) as Array<{
      id: number | string;
      pbx_id: number | string;
    }>;
    const row = rows[0];
    if (!row) return null;
    const entry = await this.live.byId(Number(row.pbx_id));
    const device = entry?.snap.devices.find((d) => d.id === Number(row.id));
    // A device created after the snapshot's revision was read (it bumps the revision, so this is a brief race).
    if (!entry || !device) return null;
    return {
      device,
      snap: entry.snap,
      viewer: { kind: 'device', pbxId: entry.snap.pbx.id, deviceId: device.id, extensionIds: [...device.extensionIds] },
    };
  }
}
