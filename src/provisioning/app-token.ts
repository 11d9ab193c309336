// Phone-app tokens: long, random-looking, revocable, never derived from the MAC — and never stored in the clear.
//
// Decision: token = base64url(HMAC-SHA256(server key, "dialtone-app-token:v1:" + device.appTokenSalt)).
// - The salt is 128 random bits per device; a new salt revokes the old token (rotate).
// - The server key (32 random bytes) lives outside the database (DATA_DIR/keys/app-token.key, see key-file.ts), so a
//   database leak alone reveals no token; the database holds only SHA-256(token) for phone-app lookups.
// - The provisioning server is the only place that computes a token (it must write it into the phone's URLs). Devices
//   are saved with a placeholder hash that no token can have, and the provisioning server stores the real hash the first
//   time it renders the config — before that, no phone knows a token anyway. So only the provisioning server needs the key.
import { createHash, createHmac, randomBytes } from 'node:crypto';

const PURPOSE = 'dialtone-app-token:v1:';

/** A fresh random salt (32 hex digits). */
export function newAppTokenSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The token of a device with this salt (43 URL-safe characters, 256 bits). */
export function appTokenFor(key: Buffer, salt: string): string {
  if (key.length < 32) throw new RangeError('the app-token key must be at least 32 bytes');
  return createHmac('sha256', key)
    .update(PURPOSE + salt)
    .digest('base64url');
}

/** What the database stores for a token: its SHA-256, hex. */
export function appTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Placeholder hash stored until the first render: unique per salt, and no token can hash to it, because its preimage
 * contains ':' which base64url tokens never do.
 */
export function pendingAppTokenHash(salt: string): string {
  return appTokenHash(`pending:${salt}`);
}
