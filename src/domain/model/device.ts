// Device (desk phone): its lines, line keys, provisioning credentials and phone-app token.
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export type LineKey =
  | { type: 'blf'; extensionId: number; label?: string }
  | { type: 'park'; slot: number; label?: string }
  | { type: 'speed_dial'; number: string; label?: string };

export const DeviceSchema = defineEntity({
  name: 'Device',
  tableName: 'device',
  properties: {
    id: p.integer().primary().autoincrement(),
    pbxId: p.integer().index(),
    /** 12 lowercase hex digits. */
    mac: p.string().length(12).unique(),
    /** firmware-profiles/<profileId>.json */
    profileId: p.string().length(40),
    label: p.string().length(50).nullable(),
    /** Extension ids, one per SIP line, in line order. */
    extensionIds: p.json<number[]>(),
    lineKeys: p.json<LineKey[]>(),
    /** HTTP digest credentials for provisioning: username and HA1 = MD5(user:realm:password). */
    provisioningUsername: p.string().length(32).unique(),
    provisioningHa1: p.string().length(32),
    /** Until this instant the MAC may fetch its config without credentials (installer's provisioning window). */
    armedUntil: p.datetime().nullable(),
    /**
     * Random per-device input of the phone-app token: token = HMAC-SHA256(server key, salt), computed only by the
     * provisioning server when it renders the phone's config. A new salt revokes the old token.
     */
    appTokenSalt: p.string().length(32),
    /**
     * SHA-256 of the phone-app token (the token itself is only in the phone's config). Until the provisioning server
     * first renders the config it holds a placeholder that no token hashes to (see src/provisioning/app-token.ts).
     */
    appTokenHash: p.string().length(64).unique(),
    /**
     * Moved by the database (a trigger, migration 0012) whenever any column above changes, whoever writes it; never
     * written by the application. Provisioning re-reads a known phone's row only when it moved.
     */
    rowVersion: p.integer().default(0),
    lastSeenAt: p.datetime().nullable(),
    lastIp: p.string().length(45).nullable(),
    lastUserAgent: p.string().length(255).nullable(),
  },
});
export type Device = InferEntity<typeof DeviceSchema>;
