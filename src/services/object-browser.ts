// Fast reads for screens over big PBXs: one page of one kind, one object, target labels and counts — each a query or
// two on that kind's table, never the whole snapshot (a 10,000-extension PBX must list and open in well under 150 ms).
// Same tenant and role rules as ObjectService; hidden fields stripped the same way (toPlain).
import type { EntityManager, EntitySchema, MikroORM } from '@mikro-orm/core';
import { isPostgres } from '../db-platform';
import { NotFoundError } from '../domain/errors';
import type { Extension } from '../domain/model';
import type { PbxSnapshot } from '../domain/snapshot';
import { type Actor, assertCanUse, isAdmin } from './actor';
import { KINDS, type KindSpec, kindByName, type RefKind } from './kinds';
import { toPlain } from './object-service';

type Plain = Record<string, unknown>;

export interface Page {
  rows: Plain[];
  total: number;
  page: number;
  perPage: number;
}

export interface TargetList {
  total: number;
  /** id + label of every target, or null when there are too many to list (the screen asks for a number instead). */
  items: Array<{ id: number; label: string }> | null;
}

/** How a routing target is shown: its label, and the number and name it is made of (where it has them). */
export interface TargetLabel {
  label: string;
  number: string | null;
  name: string | null;
}

/** Columns a list search looks in, and the order a list is shown in, per kind (default: name, else id). */
const SEARCH: Record<string, string[]> = {
  extensions: ['number', 'name'],
  mailboxes: ['number', 'name'],
  numbers: ['number', 'callerIdName'],
  conferences: ['number'],
  queues: ['number', 'name'],
  devices: ['mac', 'label'],
  'call-blocks': ['number', 'comment'],
  holidays: ['name', 'date'],
};

/** How each routing target is named on screens: its number and name where it has both. */
function targetLabel(kind: RefKind, r: Plain): string {
  const num = r.number as string | undefined;
  const name = r.name as string | undefined;
  switch (kind) {
    case 'extension':
    case 'mailbox':
    case 'queue':
      return name ? `${num} - ${name}` : String(num);
    case 'phone_number':
      return formatPhoneNumber(String(num));
    case 'conference':
      return `Room ${num}`;
    default:
      return String(name ?? `#${r.id}`);
  }
}

/** (212) 555-0100 for NANP numbers, +44… for the rest. */
export function formatPhoneNumber(n: string): string {
  const d = n.length === 11 && n.startsWith('1') ? n.slice(1) : n;
  if (/^\d{10}$/.test(d)) return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  return `+${n}`;
}

function byRefKind(kind: RefKind): KindSpec {
  const k = KINDS.find((x) => x.refKind === kind);
  if (!k) throw new NotFoundError(`unknown target kind "${kind}"`);
  return k;
}

export class ObjectBrowser {
  /** "pbx:kind:limit:listed" -> the targets read at a PBX revision (see targetCatalog). */
  private readonly targetCache = new Map<string, { revision: number; list: TargetList }>();
  /** "pbx:kind?search" -> the list's COUNT(*) at a PBX revision (see countAtRevision). */
  private readonly countCache = new Map<string, { revision: number; count: number }>();

  constructor(private readonly orm: MikroORM) {}

  private spec(kindName: string): KindSpec {
    const k = kindByName(kindName);
    if (!k) throw new NotFoundError(`unknown kind "${kindName}"`);
    return k;
  }

  private async find(em: EntityManager, kind: KindSpec, where: Plain, opts: Plain = {}): Promise<Plain[]> {
    const schema = kind.entity as EntitySchema<any, never>;
    const rows = (await em.getDriver().find(schema.meta.className, where, opts as never)) as Plain[];
    const json = jsonProps(em, schema);
    for (const r of rows) for (const k of json) if (typeof r[k] === 'string') r[k] = JSON.parse(r[k] as string);
    for (const b of boolProps(em, schema)) for (const r of rows) if (typeof r[b] === 'number') r[b] = r[b] === 1;
    return rows;
  }

  /** Ids an employee may see of this kind (null = all): read from their own extension only. */
  private async visibleIds(em: EntityManager, actor: Actor, kind: KindSpec, pbxId: number): Promise<number[] | null> {
    if (isAdmin(actor) || actor.kind !== 'user') return null;
    if (!kind.employee || actor.extensionId === null) return [];
    const own = (await this.find(em, byRefKind('extension'), {
      id: actor.extensionId,
      pbxId,
    })) as unknown as Extension[];
    if (!own.length) return [];
    return kind.employee.ownIds(actor.extensionId, { extensions: own } as PbxSnapshot);
  }

  private orderBy(em: EntityManager, kind: KindSpec): Plain {
    const props = propNames(em, kind.entity as EntitySchema<any, never>);
    if (props.includes('number')) return { number: 'asc' };
    if (props.includes('name')) return { name: 'asc' };
    return { id: 'asc' };
  }

  /** One page of a kind, optionally filtered by a search text (number or name contains it). */
  async page(
    actor: Actor,
    pbxId: number,
    kindName: string,
    opts: { q?: string; page?: number; perPage?: number },
  ): Promise<Page> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    const em = this.orm.em.fork();
    const where: Plain = { pbxId };
    const visible = await this.visibleIds(em, actor, kind, pbxId);
    if (visible) where.id = { $in: visible };
    // % and \ are LIKE syntax, not something anyone searches for in a name or number.
    const q = (opts.q ?? '').replace(/[%\\]/g, '').trim().slice(0, 50);
    const props = propNames(em, kind.entity as EntitySchema<any, never>);
    const cols = (SEARCH[kind.name] ?? ['name']).filter((c) => props.includes(c));
    // SQLite's LIKE ignores ASCII case already (and has no ILIKE); PostgreSQL needs ILIKE for the same answer.
    const like = isPostgres(em.getPlatform()) ? '$ilike' : '$like';
    if (q && cols.length) where.$or = cols.map((c) => ({ [c]: { [like]: `%${q}%` } }));
    const perPage = Math.min(Math.max(1, opts.perPage ?? 50), 200);
    const total = await this.countAtRevision(em, kind, pbxId, visible === null ? `${kind.name}?${q}` : null, where);
    const pages = Math.max(1, Math.ceil(total / perPage));
    const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
    const rows = await this.find(em, kind, where, {
      orderBy: this.orderBy(em, kind),
      limit: perPage,
      offset: (page - 1) * perPage,
    });
    // Numbers sort as text in SQL ("1000" before "101"): put them in dial order within the page.
    if (props.includes('number')) rows.sort((a, b) => numberOrder(a.number, b.number));
    return { rows: rows.map((r) => toPlain(r, kind)), total, page, perPage };
  }

  /**
   * COUNT(*) of a list (a scan of 10,000 index entries on every list page), kept per PBX revision when `key` names
   * a list every administrator sees alike; employees' lists (a few ids) are counted each time.
   */
  private async countAtRevision(
    em: EntityManager,
    kind: KindSpec,
    pbxId: number,
    key: string | null,
    where: Plain,
  ): Promise<number> {
    const className = (kind.entity as EntitySchema<any, never>).meta.className;
    if (key === null) return em.getDriver().count(className, where as never);
    const revision = await this.revision(em, pbxId);
    const cacheKey = `${pbxId}:${key}`;
    const hit = this.countCache.get(cacheKey);
    if (hit && hit.revision === revision) return hit.count;
    const count = await em.getDriver().count(className, where as never);
    if (this.countCache.size > 20_000) this.countCache.clear();
    this.countCache.set(cacheKey, { revision, count });
    return count;
  }

  /** pbx.revision now (-1 for no such PBX): bumped in the same commit as any change inside the PBX. */
  private async revision(em: EntityManager, pbxId: number): Promise<number> {
    const [row] = (await em.getConnection().execute('select revision from pbx where id = ?', [pbxId], 'all')) as Array<{
      revision: number;
    }>;
    return row ? Number(row.revision) : -1;
  }

  /** One object; another tenant's, another employee's and a missing one all answer NotFoundError. */
  async get(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    const em = this.orm.em.fork();
    const visible = await this.visibleIds(em, actor, kind, pbxId);
    const [row] = Number.isSafeInteger(id) ? await this.find(em, kind, { id, pbxId }) : [];
    if (!row || (visible !== null && !visible.includes(id)))
      throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return toPlain(row, kind);
  }

  /** How many objects of each kind the PBX has (kinds the actor may not open are left out). */
  async counts(actor: Actor, pbxId: number, kindNames: string[]): Promise<Record<string, number>> {
    const em = this.orm.em.fork();
    const out: Record<string, number> = {};
    for (const name of kindNames) {
      const kind = this.spec(name);
      if (actor.kind === 'user' && (actor.pbxId !== pbxId || !actor.permissions.includes(kind.module))) continue;
      const visible = await this.visibleIds(em, actor, kind, pbxId);
      const where: Plain = visible ? { pbxId, id: { $in: visible } } : { pbxId };
      out[name] = await em.getDriver().count((kind.entity as EntitySchema<any, never>).meta.className, where as never);
    }
    return out;
  }

  /**
   * Routing targets of one kind for a picker: labels only (number and name), for any user of the PBX — an employee
   * routes their calls to colleagues by number, so extensions and mailboxes are never listed to them.
   */
  async targets(actor: Actor, pbxId: number, refKind: RefKind, limit = 200): Promise<TargetList> {
    return (await this.targetCatalog(actor, pbxId, [refKind], limit)).get(refKind) as TargetList;
  }

  /**
   * targets() of several kinds at once (a form with pickers needs every kind): kept per PBX revision, so an edit page
   * of a 10,000-extension PBX reads one integer instead of a count and a list per kind. The revision is read before
   * the lists: a change committing in between is stored under the old revision and read again next time.
   */
  async targetCatalog<K extends RefKind>(
    actor: Actor,
    pbxId: number,
    refKinds: readonly K[],
    limit = 200,
  ): Promise<Map<K, TargetList>> {
    if (actor.kind === 'user' && actor.pbxId !== pbxId) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    const em = this.orm.em.fork();
    const [row] = (await em.getConnection().execute('select revision from pbx where id = ?', [pbxId], 'all')) as Array<{
      revision: number;
    }>;
    const revision = row ? Number(row.revision) : -1;
    const out = new Map<K, TargetList>();
    for (const refKind of refKinds) {
      const unlisted = !isAdmin(actor) && (refKind === 'extension' || refKind === 'mailbox');
      const key = `${pbxId}:${refKind}:${limit}:${unlisted ? 'n' : 'l'}`;
      const hit = this.targetCache.get(key);
      if (hit && hit.revision === revision) {
        out.set(refKind, hit.list);
        continue;
      }
      const list = await this.readTargets(em, pbxId, refKind, limit, unlisted);
      // Bounded: PBXs come back and fill it again.
      if (this.targetCache.size > 20_000) this.targetCache.clear();
      this.targetCache.set(key, { revision, list });
      out.set(refKind, list);
    }
    return out;
  }

  private async readTargets(
    em: EntityManager,
    pbxId: number,
    refKind: RefKind,
    limit: number,
    unlisted: boolean,
  ): Promise<TargetList> {
    const kind = byRefKind(refKind);
    const className = (kind.entity as EntitySchema<any, never>).meta.className;
    const total = await em.getDriver().count(className, { pbxId } as never);
    if (total > limit || unlisted) return { total, items: null };
    const rows = await this.find(em, kind, { pbxId }, { orderBy: this.orderBy(em, kind) });
    if (rows.length && 'number' in rows[0]) rows.sort((a, b) => numberOrder(a.number, b.number));
    // Frozen: the same lists are handed to every page of this revision.
    return Object.freeze({
      total,
      items: Object.freeze(
        rows.map((r) => Object.freeze({ id: r.id as number, label: targetLabel(refKind, r) })),
      ) as TargetList['items'],
    });
  }

  /** Labels (and numbers) of the given targets, keyed "kind:id"; ids of another PBX are simply not found. */
  async labels(
    actor: Actor,
    pbxId: number,
    refs: Array<{ kind: RefKind; id: number }>,
  ): Promise<Map<string, TargetLabel>> {
    if (actor.kind === 'user' && actor.pbxId !== pbxId) return new Map();
    const em = this.orm.em.fork();
    const out = new Map<string, TargetLabel>();
    const byKind = new Map<RefKind, Set<number>>();
    for (const r of refs)
      if (Number.isSafeInteger(r.id)) byKind.set(r.kind, (byKind.get(r.kind) ?? new Set()).add(r.id));
    for (const [kind, ids] of byKind) {
      const rows = await this.find(em, byRefKind(kind), { pbxId, id: { $in: [...ids] } });
      for (const r of rows)
        out.set(`${kind}:${r.id}`, {
          label: targetLabel(kind, r),
          number: (r.number as string | undefined) ?? null,
          name: (r.name as string | undefined) || null,
        });
    }
    return out;
  }

  /** The id of the extension/mailbox/queue/conference with this number in the PBX, or null. */
  async idByNumber(actor: Actor, pbxId: number, refKind: RefKind, number: string): Promise<number | null> {
    if (actor.kind === 'user' && actor.pbxId !== pbxId) return null;
    if (!/^\d{1,15}$/.test(number)) return null;
    const [row] = await this.find(this.orm.em.fork(), byRefKind(refKind), { pbxId, number });
    return row ? (row.id as number) : null;
  }
}

function numberOrder(a: unknown, b: unknown): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

function meta(em: EntityManager, schema: EntitySchema<any, never>) {
  return em.getMetadata().get(schema.meta.className);
}

function propNames(em: EntityManager, schema: EntitySchema<any, never>): string[] {
  return Object.keys(meta(em, schema).properties);
}

function jsonProps(em: EntityManager, schema: EntitySchema<any, never>): string[] {
  return Object.values(meta(em, schema).properties)
    .filter((p) => String(p.columnTypes?.[0] ?? '').startsWith('json'))
    .map((p) => p.name);
}

function boolProps(em: EntityManager, schema: EntitySchema<any, never>): string[] {
  return Object.values(meta(em, schema).properties)
    .filter((p) => p.runtimeType === 'boolean')
    .map((p) => p.name);
}
