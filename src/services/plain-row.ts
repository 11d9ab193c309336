// A database row (column names, driver types) as the entity's plain properties, without hydrating an entity: for the
// few reads on every request (API token lookup) where hydration costs more than the query.
import type { EntityMetadata, MikroORM } from '@mikro-orm/core';

type Row = Record<string, unknown>;
type Convert = 'json' | 'boolean' | 'date' | 'plain';

const readers = new WeakMap<EntityMetadata, Array<[string, string, Convert]>>();

function readerOf(meta: EntityMetadata): Array<[string, string, Convert]> {
  let r = readers.get(meta);
  if (!r) {
    r = meta.props
      .filter((p) => p.fieldNames?.length === 1)
      .map((p): [string, string, Convert] => [
        p.name,
        p.fieldNames[0],
        String(p.columnTypes?.[0] ?? '').startsWith('json')
          ? 'json'
          : p.runtimeType === 'boolean'
            ? 'boolean'
            : p.runtimeType === 'Date'
              ? 'date'
              : 'plain',
      ]);
    readers.set(meta, r);
  }
  return r;
}

/**
 * SQLite hands back JSON as text, booleans as 0/1 and datetimes as epoch milliseconds; PostgreSQL as objects, booleans
 * and Dates. Both become what the entity would hold. Columns the entity does not know are left out.
 */
export function rowToPlain(orm: MikroORM, className: string, row: Row, prefix = ''): Row {
  const out: Row = {};
  for (const [name, column, convert] of readerOf(orm.getMetadata().get(className))) {
    const v = row[prefix + column];
    if (v === null || v === undefined) out[name] = v ?? null;
    else if (convert === 'json') out[name] = typeof v === 'string' ? JSON.parse(v) : v;
    else if (convert === 'boolean') out[name] = Boolean(v);
    else if (convert === 'date') out[name] = v instanceof Date ? v : new Date(v as string | number);
    else out[name] = v;
  }
  return out;
}
