// What the provisioning server needs from the database, as an interface the service layer implements (DeviceService).
import type { Device } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';

export interface ProvisioningStore {
  /**
   * The device with this canonical MAC, in any PBX; null when none. Every field a phone's answer depends on is as the
   * database holds it now; the last-seen fields (lastSeenAt, lastIp, lastUserAgent) may be older (nothing here reads
   * them). The object may be shared with other requests: never change it.
   */
  deviceByMac(mac: string): Promise<Device | null>;
  /**
   * The PBX as it is now. `device`, when given, is the object deviceByMac returned for this same request: a store
   * that read the PBX's revision together with it may use that check instead of making another.
   */
  snapshot(pbxId: number, device?: Device): Promise<PbxSnapshot>;
  /** An authenticated fetch happened (never called for misses: unauthenticated requests write nothing). */
  recordSeen(deviceId: number, seen: { at: Date; ip: string; userAgent: string | null }): Promise<void>;
  /**
   * Closes the device's provisioning window if it is still open at `now`, storing `newHa1` in the same write.
   * False when the window was already closed (expired, or another request consumed it first).
   */
  consumeWindow(deviceId: number, now: Date, newHa1: string): Promise<boolean>;
  /** Replaces the stored phone-app token hash, unless the salt changed meanwhile (a rotation wins). */
  storeAppTokenHash(deviceId: number, salt: string, hash: string): Promise<void>;
}

/** Structured log line (compatible with src/log.ts Logger). */
export type ProvisioningLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;
