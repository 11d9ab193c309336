// What the API shows of a stored row: an allow-list per resource (kind-api.ts `output`), built without the kind's hidden
// fields and without any field whose name says it is a credential — so a secret column added later without a `hidden`
// entry still stays in the database, and a column nobody described never leaves it.
import type { ReferrerLink } from '../../domain/errors';
import { KINDS } from '../../services/kinds';

type Plain = Record<string, unknown>;

/** Field names that hold credentials or their hashes, whatever the kind (PIN, passwords, HA1, token hashes, salts). */
export const SECRET_FIELD = /password|passwd|secret|token|salt|ha1|^pin$/i;

/** A credential's name; `<field>Set` (a masked secret's "is one set?") is a yes/no, not the secret. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) && !/^[a-z][A-Za-z0-9]*Set$/.test(name);
}

/** Only the listed fields of the row (a secret-named one never, even if listed). */
export function pick(row: object, fields: readonly string[]): Plain {
  const out: Plain = {};
  for (const f of fields) if (Object.hasOwn(row, f) && !isSecretField(f)) out[f] = (row as Plain)[f];
  return out;
}

/** Referrer kinds that are not a kinds-table reference target (refKind) but still have a route or a name. */
const OTHER_REFERRERS: Record<string, string> = { device: 'devices', user: 'users', listen_live: 'listen-live' };

/** A referrer as the API names it: the kind a client can fetch it under (`/pbxs/{context}/{kind}/{id}`). */
export function apiReferrer(r: ReferrerLink): { kind: string; id: number; label: string; field: string } {
  const kind = KINDS.find((k) => k.refKind === r.kind)?.name ?? OTHER_REFERRERS[r.kind] ?? r.kind;
  return { kind, id: r.id, label: r.label, field: r.field };
}
