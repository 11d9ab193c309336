// Which phone is asking: the phone-app token in the URL, hashed and looked up among devices. A wrong, revoked or
// rotated token matches nothing (the database keeps only the hash of the current token, see app-token.ts).
//
// A token that matched is remembered with the PBX revision read BEFORE the lookup: rotating a token, deleting a
// phone or any other change to the PBX moves its revision (LiveSnapshots reads it fresh for every request), so a
// remembered token is never trusted past a change made before the request arrived — and a phone paging through
// its screens costs one shared revision query instead of a token query each time.
import type { MikroORM } from '@mikro-orm/core';
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { appTokenHash } from '../provisioning/app-token';
import type { LiveSnapshots, PbxRow } from './live-snapshots';
import type { DeviceViewer } from './voicemail-access';

export interface PhoneAppDevice {
  readonly device: Device;
  /** The PBX as of now (one copy per revision, shared with xml_curl and provisioning). */
  readonly snap: PbxSnapshot;
  readonly viewer: DeviceViewer;
}

/** base64url of 32 bytes, what appTokenFor() makes: anything else is refused before touching the database. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface Remembered {
  readonly deviceId: number;
  readonly pbxId: number;
  readonly revision: number;
}

export class PhoneAppDevices {
  private readonly known = new Map<string, Remembered>();

  constructor(
    private readonly orm: MikroORM,
    private readonly live: LiveSnapshots,
    private readonly maxRemembered = 50_000,
  ) {}

  /**
   * The device whose current token this is, or null. With `lookup` false only a remembered token is recognised
   * (no database question): what an address that keeps sending wrong tokens still gets.
   */
  async byToken(token: string, lookup = true): Promise<PhoneAppDevice | null> {
    if (!TOKEN.test(token)) return null;
    const hash = appTokenHash(token);
    // Revisions from a check that started after this request arrived (shared with concurrent requests).
    const rows = await this.live.rowsNow();
    const hit = this.known.get(hash);
    if (hit) {
      const row = rows.find((r) => r.id === hit.pbxId);
      if (row && row.revision === hit.revision) {
        const found = await this.found(row, hit.deviceId);
        if (found) return found;
      }
      this.known.delete(hash);
    }
    if (!lookup) return null;
    const match = (
      (await this.orm.em
        .getConnection()
        .execute('select id, pbx_id from device where app_token_hash = ?', [hash])) as Array<{
        id: number | string;
        pbx_id: number | string;
      }>
    )[0];
    if (!match) return null;
    const row = rows.find((r) => r.id === Number(match.pbx_id));
    if (!row) return null; // a PBX created after this request arrived
    const found = await this.found(row, Number(match.id));
    if (!found) return null;
    if (this.known.size >= this.maxRemembered) this.known.delete(this.known.keys().next().value as string);
    this.known.set(hash, { deviceId: found.device.id, pbxId: row.id, revision: row.revision });
    return found;
  }

  private async found(row: PbxRow, deviceId: number): Promise<PhoneAppDevice | null> {
    const entry = await this.live.entryFor(row);
    const device = entry.snap.devices.find((d) => d.id === deviceId);
    // A device created after the snapshot was read (adding one moves the revision, so this is a brief race).
    if (!device) return null;
    return {
      device,
      snap: entry.snap,
      viewer: { kind: 'device', pbxId: entry.snap.pbx.id, deviceId: device.id, extensionIds: [...device.extensionIds] },
    };
  }
}
