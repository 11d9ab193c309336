// What the API shows of a stored row: an allow-list per resource (kind-api.ts `output`), built without the kind's hidden
// fields and without any field whose name says it is a credential — so a secret column added later without a `hidden`
// entry still stays in the database, and a column nobody described never leaves it.
import type { Referrer } from '../../domain/references';
import { KINDS } from '../../services/kinds';

type Plain = Record<string, unknown>;

/** Field names that hold credentials or their hashes, whatever the kind (PIN, passwords, HA1, token hashes, salts). */
export const SECRET_FIELD = /password|passwd|secret|token|salt|ha1|^pin$/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Only the listed fields of the row (a secret-named one never, even if listed). */
export function pick(row: object, fields: readonly string[]): Plain {
  const out: Plain = {};
  for (const f of fields) if (Object.hasOwn(row, f) && !isSecretField(f)) out[f] = (row as Plain)[f];
  return out;
}

/** A referrer as the API names it: the kind a client can fetch it under (`/pbxs/{context}/{kind}/{id}`). */
export function apiReferrer(r: Referrer): { kind: string; id: number; label: string; field: string } {
  const kind = KINDS.find((k) => k.list === r.list)?.name ?? (r.list === 'listenLive' ? 'listen-live' : String(r.list));
  return { kind, id: r.id, label: r.label, field: r.field };
}
