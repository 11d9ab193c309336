// Create / update / delete / list for every object kind, with tenant and role checks, field rules and reference rules.
import { type EntityManager, type MikroORM, wrap } from '@mikro-orm/core';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { findRoutingLoop, missingTargets, referrersOf } from '../domain/references';
import type { PbxSnapshot } from '../domain/snapshot';
import { Fields } from '../domain/validate';
import { type Actor, assertCanUse, isAdmin } from './actor';
import { type KindDeps, type KindSpec, kindByName } from './kinds';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;
type Plain = Record<string, unknown>;

const LOOP_KINDS = new Set(['time_frame', 'auto_attendant', 'group', 'queue', 'phone_number', 'extension']);

export function toPlain(row: object, kind: KindSpec): Plain {
  const out = wrap(row).toPOJO() as Plain;
  for (const h of kind.hidden ?? []) delete out[h];
  return out;
}

/** Listeners told after every committed change (re-sync of phones, cache bumps); failures are theirs to log. */
export type ChangeListener = (change: {
  pbxId: number;
  kind: string;
  id: number;
  action: 'create' | 'update' | 'delete';
}) => void;

export class ObjectService {
  private readonly listeners: ChangeListener[] = [];
  constructor(
    private readonly orm: MikroORM,
    private readonly deps: KindDeps,
  ) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private notify(change: Parameters<ChangeListener>[0]): void {
    for (const l of this.listeners) l(change);
  }

  private spec(kindName: string): KindSpec {
    const k = kindByName(kindName);
    if (!k) throw new NotFoundError(`unknown kind "${kindName}"`);
    return k;
  }

  /** Ids an employee may see of this kind; null = no restriction. */
  private visibleIds(actor: Actor, kind: KindSpec, snap: PbxSnapshot): number[] | null {
    if (isAdmin(actor) || actor.kind !== 'user') return null;
    if (!kind.employee || actor.extensionId === null) return [];
    return kind.employee.ownIds(actor.extensionId, snap);
  }

  async list(actor: Actor, pbxId: number, kindName: string): Promise<Plain[]> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    const em = this.orm.em.fork();
    const snap = await loadSnapshot(em, pbxId);
    const visible = this.visibleIds(actor, kind, snap);
    const rows = snap[kind.list] as Array<{ id: number }>;
    return rows.filter((r) => visible === null || visible.includes(r.id)).map((r) => toPlain(r, kind));
  }

  async get(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    const em = this.orm.em.fork();
    const snap = await loadSnapshot(em, pbxId);
    const visible = this.visibleIds(actor, kind, snap);
    const row = (snap[kind.list] as Array<{ id: number }>).find((r) => r.id === id);
    // Another tenant's object and a missing one get the same answer.
    if (!row || (visible !== null && !visible.includes(id)))
      throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return toPlain(row, kind);
  }

  async create(actor: Actor, pbxId: number, kindName: string, input: Input, extra: Input = {}): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can create ${kind.name}`);
    return this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const data = { ...this.check(kind, snap, null, null, { ...extra, ...input }), ...extra };
      const row = em.create(kind.entity, { ...data, pbxId });
      this.checkGraph(kind, snap, row, null);
      await em.flush();
      this.notify({ pbxId, kind: kind.name, id: row.id, action: 'create' });
      return toPlain(row, kind);
    });
  }

  async update(actor: Actor, pbxId: number, kindName: string, id: number, patch: Input): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    return this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const list = snap[kind.list] as Array<{ id: number } & Plain>;
      const row = list.find((r) => r.id === id);
      const visible = this.visibleIds(actor, kind, snap);
      if (!row || (visible !== null && !visible.includes(id)))
        throw new NotFoundError(`${kind.name} #${id} does not exist`);
      if (visible !== null) {
        const denied = Object.keys(patch).filter((k) => !kind.employee?.fields.includes(k));
        if (denied.length) throw new ForbiddenError(`an employee cannot change ${denied.join(', ')}`);
      }
      const data = this.check(kind, snap, id, row, patch);
      if (kind.renumberField && data[kind.renumberField] !== row[kind.renumberField] && kind.refKind) {
        const blocking = referrersOf(snap, kind.refKind, id);
        if (blocking.length)
          throw new ConflictError(`cannot renumber ${kind.label(row)} while it is referenced by`, blocking);
      }
      const before = { ...row };
      em.assign(row, data);
      this.checkGraph(kind, snap, row, before);
      await em.flush();
      this.notify({ pbxId, kind: kind.name, id, action: 'update' });
      return toPlain(row, kind);
    });
  }

  async delete(actor: Actor, pbxId: number, kindName: string, id: number): Promise<void> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can delete ${kind.name}`);
    await this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const row = (snap[kind.list] as Array<{ id: number }>).find((r) => r.id === id);
      if (!row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
      if (kind.refKind) {
        const refs = referrersOf(snap, kind.refKind, id);
        if (refs.length) throw new ConflictError(`cannot delete ${kind.label(row)}: it is still used by`, refs);
      }
      em.remove(row);
      await em.flush();
    });
    this.notify({ pbxId, kind: kind.name, id, action: 'delete' });
  }

  /** Field rules and target existence; throws one ValidationError with every problem. */
  private check(kind: KindSpec, snap: PbxSnapshot, id: number | null, current: Plain | null, input: Input): Plain {
    const f = new Fields(input, current);
    const data = kind.parse(f, snap, id, current, this.deps);
    if (kind.destinations) Object.assign(f.errors, { ...missingTargets(snap, kind.destinations(data)), ...f.errors });
    f.done();
    return data;
  }

  /** Refuses a save that makes automatic routing go round in circles. */
  private checkGraph(kind: KindSpec, snap: PbxSnapshot, row: Plain & { id: number }, before: Plain | null): void {
    if (!kind.refKind || !LOOP_KINDS.has(kind.refKind)) return;
    const list = snap[kind.list] as Plain[];
    const withRow = before ? list : [...list, row];
    const trial = { ...snap, [kind.list]: withRow } as PbxSnapshot;
    const loop = findRoutingLoop(trial, { kind: kind.refKind as never, id: row.id ?? -1 });
    if (loop) {
      if (before) Object.assign(row, before);
      throw new ValidationError({ routing: `this creates a routing loop: ${loop.join(' → ')}` });
    }
  }

  em(): EntityManager {
    return this.orm.em.fork();
  }
}
