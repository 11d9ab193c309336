// Paged reads of one kind, for lists of thousands (10,000 extensions): one indexed query per page instead of the whole
// PBX snapshot, read as plain rows (hydrating entities cost 4x the query). Administrators read the table directly; an
// employee's reads go through ObjectService, whose rules decide what they may see (their own object or nothing), so
// paging never widens what anyone sees.
import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { NotFoundError } from '../domain/errors';
import { type Actor, assertCanUse, isAdmin } from './actor';
import { type KindSpec, kindByName } from './kinds';
import type { ObjectService } from './object-service';
import { rowToPlain } from './plain-row';

type Plain = Record<string, unknown>;

export interface PageRequest {
  /** Page size, 1 … MAX_PAGE_SIZE. */
  limit: number;
  /** Objects with an id above this one (the previous page's cursor); null for the first page. */
  after: number | null;
}

export interface Page {
  items: Plain[];
  /** Cursor of the next page, null on the last one. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export class ObjectPages {
  constructor(
    private readonly orm: MikroORM,
    private readonly objects: ObjectService,
  ) {}

  /** One page of a kind, in id order (stable under inserts: a new object lands on the last page). */
  async list(actor: Actor, pbxId: number, kindName: string, page: PageRequest): Promise<Page> {
    const kind = kindByName(kindName);
    if (!kind) throw new NotFoundError(`unknown kind "${kindName}"`);
    assertCanUse(actor, pbxId, kind.module);
    const limit = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(page.limit)));
    let rows: Plain[];
    if (isAdmin(actor)) {
      const found = await this.table(kind)
        .where(this.column(kind, 'pbxId'), pbxId)
        .andWhere(this.column(kind, 'id'), '>', page.after ?? 0)
        .orderBy(this.column(kind, 'id'))
        .limit(limit + 1);
      rows = found.map((r: Plain) => shown(rowToPlain(this.orm, kind.entity.meta.className, r), kind));
    } else {
      const all = await this.objects.list(actor, pbxId, kindName);
      rows = all.filter((r) => page.after === null || (r.id as number) > page.after).slice(0, limit + 1);
    }
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
  }

  /**
   * Every object of a kind, in id order (`dialtone list`): for an administrator one query on that kind's table read
   * as plain rows — the whole-PBX snapshot with 10,000 hydrated entities per kind cost the CLI seconds; anyone else
   * through ObjectService, whose rules decide what they may see.
   */
  async all(actor: Actor, pbxId: number, kindName: string): Promise<Plain[]> {
    const kind = kindByName(kindName);
    if (!kind) throw new NotFoundError(`unknown kind "${kindName}"`);
    if (!isAdmin(actor)) return this.objects.list(actor, pbxId, kindName);
    assertCanUse(actor, pbxId, kind.module);
    const found = await this.table(kind).where(this.column(kind, 'pbxId'), pbxId).orderBy(this.column(kind, 'id'));
    return found.map((r: Plain) => shown(rowToPlain(this.orm, kind.entity.meta.className, r), kind));
  }

  /** One object by id; another PBX's object and a missing one are the same NotFoundError. */
  async get(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Plain> {
    const kind = kindByName(kindName);
    if (!kind) throw new NotFoundError(`unknown kind "${kindName}"`);
    if (!isAdmin(actor)) return this.objects.get(actor, pbxId, kindName, id);
    assertCanUse(actor, pbxId, kind.module);
    const [row] = await this.table(kind).where(this.column(kind, 'id'), id).andWhere(this.column(kind, 'pbxId'), pbxId);
    if (!row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return shown(rowToPlain(this.orm, kind.entity.meta.className, row), kind);
  }

  private table(kind: KindSpec) {
    const meta = this.orm.getMetadata().get(kind.entity.meta.className);
    return (this.orm.em.fork() as SqlEntityManager).getKnex()(meta.tableName);
  }

  private column(kind: KindSpec, property: string): string {
    return this.orm.getMetadata().get(kind.entity.meta.className).properties[property].fieldNames[0];
  }
}

/**
 * What ObjectService's toPlain shows of an entity, for a plain row: masked fields stated as `<field>Set`, hidden ones
 * removed. (`masked` is read loosely: the kinds table gains it with the secret-exposure work.)
 */
function shown(row: Plain, kind: KindSpec): Plain {
  // A new object rather than `delete`: a deleted property turns each row into a slow dictionary object, which made
  // printing 10,000 of them (dialtone list --json) a tenth slower.
  const hidden = kind.hidden ?? [];
  const out: Plain = {};
  for (const k in row) if (!hidden.includes(k)) out[k] = row[k];
  for (const m of (kind as { masked?: readonly string[] }).masked ?? [])
    out[`${m}Set`] = row[m] !== null && row[m] !== undefined && row[m] !== '';
  return out;
}
