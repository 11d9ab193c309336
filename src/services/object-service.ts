// Create / update / delete / list for every object kind, with tenant and role checks, field rules and reference rules.
//
// Secrets (SIP and trunk passwords, mailbox and conference PINs, provisioning HA1, phone-app token material): a kind's
// `hidden` fields are never in what list/get/create/update return, for anyone, the operator included; `masked` ones
// are stated as `<field>Set: true|false`. `revealSecrets` is the one explicit way to read a hidden field, and only a
// kind's `reveal` fields, only for an administrator holding one of its modules: today an extension's SIP password
// (Extensions or Devices: the screens where a phone is set up by hand) and a conference room's PIN (Conference).
// A trunk password, a mailbox password and device credentials are never read back.
import { type EntityManager, type MikroORM, UniqueConstraintViolationException, wrap } from '@mikro-orm/core';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { printable } from '../domain/printable';
import { findRoutingLoop, missingTargets, type Referrer, referrerLinksOf, referrerText } from '../domain/references';
import type { PbxSnapshot } from '../domain/snapshot';
import { Fields } from '../domain/validate';
import { bumpRevision } from '../revision-subscriber';
import { type Actor, assertCanUse, isAdmin } from './actor';
import { recordAudit } from './audit';
import { type KindDeps, type KindSpec, kindByName } from './kinds';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;
type Plain = Record<string, unknown>;

const LOOP_KINDS = new Set(['time_frame', 'auto_attendant', 'group', 'queue', 'phone_number', 'extension']);

export function toPlain(row: object, kind: KindSpec): Plain {
  // Managed entities (loadSnapshot) and plain rows (ObjectBrowser's driver reads) alike.
  const w = wrap(row) as { toPOJO?: () => Plain };
  const out = typeof w.toPOJO === 'function' ? w.toPOJO() : { ...(row as Plain) };
  for (const m of kind.masked ?? []) out[`${m}Set`] = out[m] !== null && out[m] !== undefined && out[m] !== '';
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
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // The change is committed; a listener that throws has failed on its own (it logs), not the save.
      }
    }
  }

  private spec(kindName: string): KindSpec {
    const k = kindByName(kindName);
    if (!k) throw new NotFoundError(`unknown kind "${printable(kindName)}"`);
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

  /** The kind's `reveal` fields of one object, for an administrator holding one of the modules that may see them. */
  async revealSecrets(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Record<string, unknown>> {
    const kind = this.spec(kindName);
    const reveal = kind.reveal;
    if (!reveal) throw new ForbiddenError(`the secrets of ${kind.name} are never shown`);
    const module =
      actor.kind === 'user' ? (reveal.modules.find((m) => actor.permissions.includes(m)) ?? kind.module) : kind.module;
    assertCanUse(actor, pbxId, module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can see the secrets of ${kind.name}`);
    const snap = await loadSnapshot(this.orm.em.fork(), pbxId);
    const row = (snap[kind.list] as Array<{ id: number } & Plain>).find((r) => r.id === id);
    if (!row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return Object.fromEntries(reveal.fields.map((f) => [f, row[f] ?? null]));
  }

  async create(actor: Actor, pbxId: number, kindName: string, input: Input, extra: Input = {}): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can create ${kind.name}`);
    if (kind.operator && actor.kind !== 'system') throw new ForbiddenError(kind.operator.why);
    assertObject(input);
    // Devices and audio need credentials or a file that only their own service supplies (as `extra`).
    if (kind.createdElsewhere && !Object.keys(extra).length)
      throw new ForbiddenError(`${kind.name} are added through their own screen, not as plain objects`);
    const saved = await this.unique(kind, () =>
      this.orm.em.fork().transactional(async (em) => {
        await lockPbx(em, kind, pbxId);
        return this.createIn(em, await loadSnapshot(em, pbxId), actor, kind, pbxId, input, extra);
      }),
    );
    // Told only once committed: a listener must never see (or be able to undo) a change that did not happen.
    this.notify({ pbxId, kind: kind.name, id: saved.id as number, action: 'create' });
    return saved;
  }

  async update(actor: Actor, pbxId: number, kindName: string, id: number, patch: Input): Promise<Plain> {
    assertObject(patch);
    return this.save(actor, pbxId, kindName, id, () => patch, false);
  }

  /**
   * A read-modify-write: `makePatch` gets the object as saved, inside the transaction that saves the patch it
   * returns, with the PBX row locked first — e.g. appending to a list while someone else appends too.
   */
  async updateWith(
    actor: Actor,
    pbxId: number,
    kindName: string,
    id: number,
    makePatch: (current: Plain) => Input,
  ): Promise<Plain> {
    return this.save(actor, pbxId, kindName, id, makePatch, true);
  }

  private async save(
    actor: Actor,
    pbxId: number,
    kindName: string,
    id: number,
    makePatch: (current: Plain) => Input,
    lock: boolean,
  ): Promise<Plain> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    const saved = await this.unique(kind, () =>
      this.orm.em.fork().transactional(async (em) => {
        await lockPbx(em, lock ? { ...kind, lockPbx: true } : kind, pbxId);
        return this.updateIn(em, await loadSnapshot(em, pbxId), actor, kind, pbxId, id, makePatch);
      }),
    );
    this.notify({ pbxId, kind: kind.name, id, action: 'update' });
    return saved;
  }

  async delete(actor: Actor, pbxId: number, kindName: string, id: number): Promise<void> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can delete ${kind.name}`);
    await this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const row = (snap[kind.list] as Array<{ id: number }>).find((r) => r.id === id);
      if (!row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
      if (kind.operator && actor.kind !== 'system') throw new ForbiddenError(kind.operator.why);
      if (kind.refKind) {
        const refs = referrerLinksOf(snap, kind.refKind, id);
        if (refs.length)
          throw new ConflictError(
            `cannot delete ${kind.label(row)}: it is still used by`,
            refs.map(referrerText),
            refs,
          );
      }
      const before = { ...row };
      em.remove(row);
      await em.flush();
      await this.audit(em, actor, kind, pbxId, 'delete', before, before, null);
    });
    this.notify({ pbxId, kind: kind.name, id, action: 'delete' });
  }

  private async createIn(
    em: EntityManager,
    snap: PbxSnapshot,
    actor: Actor,
    kind: KindSpec,
    pbxId: number,
    input: Input,
    extra: Input,
  ): Promise<Plain> {
    // `extra` is what the calling service generated (e.g. the SIP password): it wins over anything typed.
    const data = { ...this.check(kind, snap, null, null, { ...input, ...extra }), ...extra };
    Object.assign(data, kind.stamp?.(actor, data, null));
    await this.checkGlobalUnique(em, kind, null, data);
    const row = em.create(kind.entity, { ...data, pbxId });
    this.checkGraph(kind, snap, row, null);
    await em.flush();
    await this.audit(em, actor, kind, pbxId, 'create', row, null, row);
    return toPlain(row, kind);
  }

  private async updateIn(
    em: EntityManager,
    snap: PbxSnapshot,
    actor: Actor,
    kind: KindSpec,
    pbxId: number,
    id: number,
    patchOf: Input | ((current: Plain) => Input),
  ): Promise<Plain> {
    const list = snap[kind.list] as Array<{ id: number } & Plain>;
    const row = list.find((r) => r.id === id);
    const visible = this.visibleIds(actor, kind, snap);
    if (!row || (visible !== null && !visible.includes(id)))
      throw new NotFoundError(`${kind.name} #${id} does not exist`);
    const patch = typeof patchOf === 'function' ? patchOf(toPlain(row, kind)) : patchOf;
    assertObject(patch);
    if (visible !== null) {
      const denied = Object.keys(patch).filter((k) => !kind.employee?.fields.includes(k));
      if (denied.length)
        throw new ForbiddenError(
          `an employee cannot change ${denied
            .slice(0, 5)
            .map((k) => printable(k, 30))
            .join(', ')}`,
        );
    }
    const data = this.check(kind, snap, id, row, patch);
    if (kind.operator && actor.kind !== 'system') {
      const changed = kind.operator.fields.filter((k) => JSON.stringify(data[k]) !== JSON.stringify(row[k]));
      if (changed.length) throw new ForbiddenError(kind.operator.why);
    }
    Object.assign(data, kind.stamp?.(actor, data, row));
    if (kind.renumberField && data[kind.renumberField] !== row[kind.renumberField] && kind.refKind) {
      const blocking = referrerLinksOf(snap, kind.refKind, id);
      if (blocking.length)
        throw new ConflictError(
          `cannot renumber ${kind.label(row)} while it is referenced by`,
          blocking.map(referrerText),
          blocking,
        );
    }
    await this.checkGlobalUnique(em, kind, id, data);
    const before = { ...row };
    em.assign(row, data);
    this.checkGraph(kind, snap, row, before);
    await em.flush();
    await this.audit(em, actor, kind, pbxId, 'update', row, before, row);
    return toPlain(row, kind);
  }

  /**
   * An extension saved (created when id is null) together with the mailbox "Create New Mailbox" asks for: both or
   * neither, in one transaction. Every problem of both is reported at once, the mailbox's as `mailbox.<field>`.
   */
  async saveExtensionWithNewMailbox(
    actor: Actor,
    pbxId: number,
    id: number | null,
    extensionInput: Input,
    mailboxInput: Input,
    extra: Input = {},
  ): Promise<{ extension: Plain; mailbox: Plain }> {
    const ext = this.spec('extensions');
    const box = this.spec('mailboxes');
    assertCanUse(actor, pbxId, ext.module);
    assertCanUse(actor, pbxId, box.module);
    if (!isAdmin(actor)) throw new ForbiddenError('only an administrator can create mailboxes');
    assertObject(extensionInput);
    assertObject(mailboxInput);
    const saved = await this.unique(ext, () =>
      this.orm.em.fork().transactional(async (em) => {
        const snap = await loadSnapshot(em, pbxId);
        const errors: Record<string, string> = {};
        let mailbox: Plain | null = null;
        try {
          mailbox = await this.createIn(em, snap, actor, box, pbxId, mailboxInput, {});
          snap.mailboxes.push(mailbox as never);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          for (const [k, m] of Object.entries(err.fields)) errors[`mailbox.${k}`] = m;
        }
        const input = { ...extensionInput, mailboxId: mailbox ? mailbox.id : null };
        try {
          const extension =
            id === null
              ? await this.createIn(em, snap, actor, ext, pbxId, input, extra)
              : await this.updateIn(em, snap, actor, ext, pbxId, id, input);
          if (!mailbox) throw new ValidationError(errors);
          return { extension, mailbox };
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          throw new ValidationError({ ...errors, ...err.fields });
        }
      }),
    );
    this.notify({ pbxId, kind: box.name, id: saved.mailbox.id as number, action: 'create' });
    this.notify({ pbxId, kind: ext.name, id: saved.extension.id as number, action: id === null ? 'create' : 'update' });
    return saved;
  }

  /**
   * The field errors a create (id null) or update would meet, without saving anything: for screens that must
   * report every problem at once when part of a form could not even be read.
   */
  async validate(
    actor: Actor,
    pbxId: number,
    kindName: string,
    id: number | null,
    input: Input,
  ): Promise<Record<string, string>> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    assertObject(input);
    const snap = await loadSnapshot(this.orm.em.fork(), pbxId);
    const row =
      id === null ? null : ((snap[kind.list] as Array<{ id: number } & Plain>).find((r) => r.id === id) ?? null);
    if (id !== null && !row) throw new NotFoundError(`${kind.name} #${id} does not exist`);
    try {
      this.check(kind, snap, id, row, input);
      return {};
    } catch (err) {
      if (err instanceof ValidationError) return err.fields;
      throw err;
    }
  }

  /** What points at an object (for "delete" screens before the user confirms); administrators only. */
  async referrers(actor: Actor, pbxId: number, kindName: string, id: number): Promise<Referrer[]> {
    const kind = this.spec(kindName);
    assertCanUse(actor, pbxId, kind.module);
    if (!isAdmin(actor)) throw new ForbiddenError(`only an administrator can delete ${kind.name}`);
    const snap = await loadSnapshot(this.orm.em.fork(), pbxId);
    if (!(snap[kind.list] as Array<{ id: number }>).some((r) => r.id === id))
      throw new NotFoundError(`${kind.name} #${id} does not exist`);
    return kind.refKind ? referrerLinksOf(snap, kind.refKind, id) : [];
  }

  /** The audit entry of a change, written in the change's transaction (secrets and hidden fields masked). */
  private audit(
    em: EntityManager,
    actor: Actor,
    kind: KindSpec,
    pbxId: number,
    action: 'create' | 'update' | 'delete',
    row: object,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    const plain = (o: object | null) => (o ? ({ ...o } as Plain) : null);
    return recordAudit(em, actor, {
      pbxId,
      action,
      kind: kind.name,
      objectId: (row as { id?: number }).id ?? null,
      objectLabel: kind.label(row),
      before: plain(before),
      after: plain(after),
      secrets: kind.hidden,
    });
  }

  /** Field rules and target existence; throws one ValidationError with every problem. */
  private check(kind: KindSpec, snap: PbxSnapshot, id: number | null, current: Plain | null, input: Input): Plain {
    const f = new Fields(input, current);
    const data = kind.parse(f, snap, id, current, this.deps);
    if (kind.destinations) Object.assign(f.errors, { ...missingTargets(snap, kind.destinations(data)), ...f.errors });
    f.done();
    return data;
  }

  /** Fields unique across every PBX (a DID rings one PBX, a MAC is one phone): the snapshot of one PBX cannot tell. */
  private async checkGlobalUnique(em: EntityManager, kind: KindSpec, id: number | null, data: Plain): Promise<void> {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(kind.globalUnique ?? {})) {
      const where = id === null ? { [field]: data[field] } : { [field]: data[field], id: { $ne: id } };
      if (await em.count(kind.entity, where as never)) errors[field] = message;
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }

  /** Two saves racing past the checks meet the database's unique index: a conflict, not an internal error. */
  private async unique<T>(kind: KindSpec, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new ConflictError(
          `another ${kind.name} with the same number or name was saved at the same time; try again`,
        );
      throw err;
    }
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
}

/**
 * Takes the PBX row's write lock for the rest of the transaction (PostgreSQL: row lock; SQLite: the database write
 * lock) by bumping its revision, which the commit would bump anyway. Reads after it see every save committed before.
 */
async function lockPbx(em: EntityManager, kind: KindSpec, pbxId: number): Promise<void> {
  if (!kind.lockPbx) return;
  await bumpRevision(em.getConnection(), em.getTransactionContext(), pbxId, [['lock', 0]]);
}

/** Input arrives from JSON bodies and CLI flags: anything but an object of fields is refused before it is read. */
function assertObject(input: unknown): asserts input is Input {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new ValidationError({ input: 'must be an object of field values' });
}
