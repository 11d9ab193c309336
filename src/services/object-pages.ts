// Paged reads of one kind, for lists of thousands (10,000 extensions): one indexed query per page instead of the whole
// PBX snapshot. Administrators read the table directly; an employee's reads go through ObjectService, whose rules
// decide what they may see (their own object or nothing), so the paging never widens what anyone sees.
import type { MikroORM } from '@mikro-orm/core';
import { NotFoundError } from '../domain/errors';
import { type Actor, assertCanUse, isAdmin } from './actor';
import { kindByName } from './kinds';
import { type ObjectService, toPlain } from './object-service';

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
      const where = page.after === null ? { pbxId } : { pbxId, id: { $gt: page.after } };
      const found = await this.orm.em
        .fork()
        .find(kind.entity, where as never, { orderBy: { id: 'asc' } as never, limit: limit + 1 });
      rows = found.map((r) => toPlain(r, kind));
    } else {
      const all = await this.objects.list(actor, pbxId, kindName);
      rows = all.filter((r) => page.after === null || (r.id as number) > page.after).slice(0, limit + 1);
    }
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
  }

  /** One object by id; another PBX's object and a missing one are the same NotFoundError. */
  async get(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Plain> {
    const kind = kindByName(kindName);
    if (!kind) throw new NotFoundError(`unknown kind "${kindName}"`);
    if (!isAdmin(actor)) return this.objects.get(actor, pbxId, kindName, id);
    assertCanUse(actor, pbxId, kind.module);
    const row = await this.orm.em.fork().findOne(kind.entity, { id, pbxId } as never);
    if (!row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return toPlain(row, kind);
  }
}
