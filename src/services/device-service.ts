// Devices (desk phones): add with generated provisioning credentials, arm the provisioning window, list, delete, rotate.
// Also the database side of the provisioning server (ProvisioningStore): lookups by MAC and the few writes phones cause.
//
// Devices are created only here, by an administrator or the operator — never by a phone request. The provisioning
// password is returned once and stored as digest HA1 only; the phone-app token is not stored at all (see
// src/provisioning/app-token.ts: the provisioning server derives it and stores its hash on first render).
import type { MikroORM } from '@mikro-orm/core';
import { NotFoundError, ValidationError } from '../domain/errors';
import { type Device, DeviceSchema } from '../domain/model';
import { normaliseMac } from '../domain/rules/device-user-rules';
import type { PbxSnapshot } from '../domain/snapshot';
import { newAppTokenSalt, pendingAppTokenHash } from '../provisioning/app-token';
import type { DeviceExplainer } from '../provisioning/device-warnings';
import { DIGEST_REALM, digestHa1 } from '../provisioning/digest';
import { mailboxWarnings } from '../provisioning/extra-mailboxes';
import { DEFAULT_WINDOW_MINUTES, MAX_WINDOW_MINUTES, windowEnd } from '../provisioning/policy';
import type { ProvisioningStore } from '../provisioning/store';
import { bumpRevision } from '../revision-subscriber';
import type { ProfileCatalog } from '../vendors/profile-catalog';
import { type Actor, assertAdmin, assertCanUse } from './actor';
import { ObjectService } from './object-service';
import { randomAlnum } from './secrets';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;

/** Provisioning password length (random letters and digits, no look-alikes: ~146 bits). */
export const PROVISIONING_PASSWORD_LENGTH = 25;

/** A device as shown to people: no HA1, no token material. */
export type PublicDevice = Omit<Device, 'provisioningHa1' | 'appTokenHash' | 'appTokenSalt' | 'rowVersion'>;

/** A device on the device screen: plus what its model cannot do with what is configured for it, in plain words. */
export type DeviceView = PublicDevice & { warnings: string[] };

export interface AddedDevice {
  device: DeviceView;
  /** Digest user name for the phone's provisioning server settings. */
  username: string;
  /** Shown once: only its HA1 is stored. */
  password: string;
}

const DEVICE_FIELDS = ['mac', 'profileId', 'label', 'extensionIds', 'lineKeys'] as const;

function publicDevice(d: Device | Record<string, unknown>): PublicDevice {
  const { provisioningHa1: _h, appTokenHash: _t, appTokenSalt: _s, rowVersion: _v, ...rest } = d as Device;
  return rest;
}

function newCredentials(): { username: string; password: string; ha1: string } {
  // "p" + 15 random characters: unique in practice (the column's unique index catches the 1-in-10^26 collision).
  const username = `p${randomAlnum(15).toLowerCase()}`;
  const password = randomAlnum(PROVISIONING_PASSWORD_LENGTH);
  return { username, password, ha1: digestHa1(username, password, DIGEST_REALM) };
}

export interface DeviceServiceOptions {
  /** What each phone will not do of its configuration (provisioning/device-warnings.ts); none when absent. */
  explain?: DeviceExplainer;
  /** Where warnings read the PBX from (the provisioning server's live snapshots); default: a fresh snapshot. */
  snapshot?: (pbxId: number) => Promise<PbxSnapshot>;
}

export class DeviceService implements ProvisioningStore {
  private readonly objects: ObjectService;

  /** `catalog` gives the profile ids a device may use (and friendly model names to the CLI). */
  constructor(
    private readonly orm: MikroORM,
    readonly catalog: ProfileCatalog,
    private readonly opts: DeviceServiceOptions = {},
  ) {
    // Its own object service, bound to the loaded catalog, so validation never depends on how Services was built.
    this.objects = new ObjectService(orm, { profileIds: new Set(catalog.all.map((p) => p.id)) });
  }

  /** Profile id for a profile id or a model name as printed on the phone ("VVX 450", "vvx450", "T54W"); null if none. */
  resolveModel(model: string): string | null {
    const want = model.trim().toLowerCase();
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const byId = this.catalog.byId(want);
    if (byId) return byId.id;
    const hits = this.catalog.all.filter(
      (p) => squash(p.model) === squash(want) || squash(`${p.vendor}${p.model}`) === squash(want),
    );
    return hits.length === 1 ? (hits[0]?.id ?? null) : null;
  }

  /** Adds a phone (administrator or operator). Returns the provisioning credentials, the password only this once. */
  async add(actor: Actor, pbxId: number, input: Input): Promise<AddedDevice> {
    assertCanUse(actor, pbxId, 'devices');
    assertAdmin(actor, 'add phones');
    const fields = Object.fromEntries(DEVICE_FIELDS.filter((k) => k in input).map((k) => [k, input[k]]));
    const cred = newCredentials();
    const salt = newAppTokenSalt();
    const saved = await this.objects.create(actor, pbxId, 'devices', fields, {
      provisioningUsername: cred.username,
      provisioningHa1: cred.ha1,
      appTokenSalt: salt,
      appTokenHash: pendingAppTokenHash(salt),
      armedUntil: null,
      lastSeenAt: null,
      lastIp: null,
      lastUserAgent: null,
    });
    const [device] = await this.withWarnings(pbxId, [publicDevice(saved)]);
    return { device: device as DeviceView, username: cred.username, password: cred.password };
  }

  async list(actor: Actor, pbxId: number): Promise<DeviceView[]> {
    return this.withWarnings(pbxId, (await this.objects.list(actor, pbxId, 'devices')).map(publicDevice));
  }

  /** Warnings come from the PBX as saved now: an extension's "message waiting" list changes them without the device. */
  private async withWarnings(pbxId: number, devices: PublicDevice[]): Promise<DeviceView[]> {
    if (!devices.length) return [];
    const snap = await loadSnapshot(this.orm.em.fork(), pbxId);
    return devices.map((d) => {
      const profile = this.catalog.byId(d.profileId);
      const warnings = profile ? mailboxWarnings(snap, d, profile) : [`unknown phone model ${d.profileId}`];
      return { ...d, warnings };
    });
  }

  async delete(actor: Actor, pbxId: number, id: number): Promise<void> {
    assertAdmin(actor, 'delete phones');
    await this.objects.delete(actor, pbxId, 'devices', id);
  }

  /** One device of the PBX (administrators; another tenant's answers NotFoundError like a missing one). */
  async get(actor: Actor, pbxId: number, id: number): Promise<PublicDevice> {
    assertCanUse(actor, pbxId, 'devices');
    assertAdmin(actor, 'manage phones');
    return publicDevice(await this.objects.get(actor, pbxId, 'devices', id));
  }

  /** Changes MAC, model, label, lines or keys; the provisioning login and window stay as they are. */
  async update(actor: Actor, pbxId: number, id: number, input: Input): Promise<PublicDevice> {
    assertCanUse(actor, pbxId, 'devices');
    assertAdmin(actor, 'change phones');
    const fields = Object.fromEntries(DEVICE_FIELDS.filter((k) => k in input).map((k) => [k, input[k]]));
    return publicDevice(await this.objects.update(actor, pbxId, 'devices', id, fields));
  }

  /**
   * What each of these devices (of one PBX) will not do of its configuration, by device id: a model that cannot
   * watch another mailbox, more lines than the model has, buddies without a free key… Empty without an explainer.
   */
  async warnings(actor: Actor, pbxId: number, devices: readonly PublicDevice[]): Promise<Map<number, string[]>> {
    assertCanUse(actor, pbxId, 'devices');
    assertAdmin(actor, 'manage phones');
    const out = new Map<number, string[]>();
    const explain = this.opts.explain;
    if (!explain || !devices.length) return out;
    const snap = this.opts.snapshot ? await this.opts.snapshot(pbxId) : await loadSnapshot(this.orm.em.fork(), pbxId);
    for (const d of devices) {
      if (d.pbxId !== pbxId) continue;
      const profile = this.catalog.byId(d.profileId);
      if (!profile) out.set(d.id, [`unknown phone model ${d.profileId}: this phone gets no configuration`]);
      else out.set(d.id, explain(snap, d as Device, profile));
    }
    return out;
  }

  /** arm / disarm / rotateCredentials for a device id of the PBX (the portal's buttons). */
  async macOf(actor: Actor, pbxId: number, id: number): Promise<string> {
    return (await this.get(actor, pbxId, id)).mac;
  }

  /** The device with this MAC as its PBX's administrators see it (another tenant's device: "does not exist"). */
  async byMac(actor: Actor, rawMac: string): Promise<DeviceView> {
    const device = await this.findForActor(actor, rawMac);
    return (await this.withWarnings(device.pbxId, [publicDevice(device)]))[0] as DeviceView;
  }

  private async findForActor(actor: Actor, rawMac: string): Promise<Device> {
    const mac = normaliseMac(rawMac);
    if (!mac) throw new ValidationError({ mac: 'must be a MAC address such as 00:04:f2:ab:cd:ef' });
    const device = await this.orm.em.fork().findOne(DeviceSchema, { mac });
    if (!device || (actor.kind === 'user' && actor.pbxId !== device.pbxId))
      throw new NotFoundError(`no phone with MAC ${mac}`);
    assertCanUse(actor, device.pbxId, 'devices');
    assertAdmin(actor, 'manage phones');
    return device;
  }

  /**
   * Opens the provisioning window: for `minutes` the phone may fetch its config without credentials. The window closes
   * on the first fetch of a file with secrets (which teaches the phone a new provisioning password) or at expiry.
   */
  async arm(actor: Actor, rawMac: string, minutes: number = DEFAULT_WINDOW_MINUTES, now = new Date()): Promise<Date> {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WINDOW_MINUTES)
      throw new ValidationError({ minutes: `must be a whole number from 1 to ${MAX_WINDOW_MINUTES}` });
    const device = await this.findForActor(actor, rawMac);
    const until = windowEnd(now, minutes);
    await this.orm.em.fork().nativeUpdate(DeviceSchema, { id: device.id }, { armedUntil: until });
    return until;
  }

  /** Closes the window now. */
  async disarm(actor: Actor, rawMac: string): Promise<void> {
    const device = await this.findForActor(actor, rawMac);
    await this.orm.em.fork().nativeUpdate(DeviceSchema, { id: device.id }, { armedUntil: null });
  }

  /** New provisioning password (same user name); the old one stops working at once. Returned only this once. */
  async rotateCredentials(actor: Actor, rawMac: string): Promise<{ username: string; password: string }> {
    const device = await this.findForActor(actor, rawMac);
    const password = randomAlnum(PROVISIONING_PASSWORD_LENGTH);
    const ha1 = digestHa1(device.provisioningUsername, password, DIGEST_REALM);
    await this.orm.em.fork().nativeUpdate(DeviceSchema, { id: device.id }, { provisioningHa1: ha1 });
    return { username: device.provisioningUsername, password };
  }

  /** Revokes the phone-app token: the phone gets a new one with its next config fetch. */
  async rotateAppToken(actor: Actor, rawMac: string): Promise<void> {
    const device = await this.findForActor(actor, rawMac);
    const salt = newAppTokenSalt();
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(
        DeviceSchema,
        { id: device.id },
        { appTokenSalt: salt, appTokenHash: pendingAppTokenHash(salt) },
      );
      // The phone's configuration changed (its app URLs): readers that cache per PBX revision (the phone apps' token
      // check, the re-sync watcher) must see it, and nativeUpdate bypasses the revision subscriber.
      await bumpRevision(tx.getConnection(), tx.getTransactionContext(), device.pbxId, [['Device', device.id]]);
    });
  }

  /** Phone apps: the device whose token hashes to `hash`, or null. */
  async byAppTokenHash(hash: string): Promise<PublicDevice | null> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return null;
    const device = await this.orm.em.fork().findOne(DeviceSchema, { appTokenHash: hash });
    return device ? publicDevice(device) : null;
  }

  // --- ProvisioningStore: called by the provisioning server only (phones are not actors) ---

  async deviceByMac(mac: string): Promise<Device | null> {
    return this.orm.em.fork().findOne(DeviceSchema, { mac });
  }

  snapshot(pbxId: number): Promise<PbxSnapshot> {
    return loadSnapshot(this.orm.em.fork(), pbxId);
  }

  async recordSeen(deviceId: number, seen: { at: Date; ip: string; userAgent: string | null }): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(
        DeviceSchema,
        { id: deviceId },
        { lastSeenAt: seen.at, lastIp: seen.ip.slice(0, 45), lastUserAgent: seen.userAgent?.slice(0, 255) ?? null },
      );
  }

  async consumeWindow(deviceId: number, now: Date, newHa1: string): Promise<boolean> {
    // One conditional UPDATE: of two racing fetches exactly one sees the window open.
    const changed = await this.orm.em
      .fork()
      .nativeUpdate(
        DeviceSchema,
        { id: deviceId, armedUntil: { $gt: now } },
        { armedUntil: null, provisioningHa1: newHa1 },
      );
    return changed === 1;
  }

  async storeAppTokenHash(deviceId: number, salt: string, hash: string): Promise<void> {
    await this.orm.em.fork().nativeUpdate(DeviceSchema, { id: deviceId, appTokenSalt: salt }, { appTokenHash: hash });
  }
}
