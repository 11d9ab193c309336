// Portal users: create with a hashed password, authenticate, list, edit (permissions too), disable, reset, delete.
// Every change is written to the audit log in its own transaction; a disabled or reset login loses its sessions.
// No method returns the password hash (PublicUser), not even `authenticate` to the user who just logged in.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { PortalSessionSchema, type PortalUser, PortalUserSchema } from '../domain/model';
import { printable } from '../domain/printable';
import { parseUser } from '../domain/rules/device-user-rules';
import { Fields } from '../domain/validate';
import { type Actor, assertAdmin, assertCanUse } from './actor';
import { auditChanges, MASK, recordAudit } from './audit';
import { hashPassword, verifyPassword } from './secrets';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;
export type PublicUser = Omit<PortalUser, 'passwordHash'>;

const strip = ({ passwordHash: _, ...u }: PortalUser): PublicUser => u;
const label = (u: { username: string }) => `user ${u.username}`;

/** Long enough to resist guessing, short enough to type; spaces allowed for passphrases. */
function checkPassword(f: Fields, raw: unknown, field = 'password'): string {
  const pw = typeof raw === 'string' ? raw : '';
  if (pw.length < 10 || pw.length > 200) f.fail(field, 'must be 10 to 200 characters');
  else if ([...pw].some((c) => c.charCodeAt(0) < 0x20)) f.fail(field, 'must not contain control characters');
  return pw;
}

/** An administrator cannot hand out modules they were not given (no escalation through another login). */
function limitToActor(actor: Actor, f: Fields, input: Input, permissions: string[]): string[] {
  if (actor.kind !== 'user') return permissions;
  const explicit = input.permissions !== undefined && input.permissions !== null && input.permissions !== 'default';
  const beyond = permissions.filter((m) => !actor.permissions.includes(m));
  if (explicit && beyond.length)
    f.fail(
      'permissions',
      `you do not have: ${beyond
        .slice(0, 5)
        .map((m) => printable(m, 30))
        .join(', ')}`,
    );
  return permissions.filter((m) => actor.permissions.includes(m));
}

export class UserService {
  constructor(private readonly orm: MikroORM) {}

  async create(actor: Actor, pbxId: number, input: Input): Promise<PublicUser> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'create users');
    return this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const taken = new Set((await em.find(PortalUserSchema, {}, { fields: ['username'] })).map((u) => u.username));
      const f = new Fields(input);
      const data = parseUser(f, snap, null, (u) => taken.has(u));
      data.permissions = limitToActor(actor, f, input, data.permissions);
      const password = checkPassword(f, input.password);
      f.done();
      const user = em.create(PortalUserSchema, {
        ...data,
        pbxId,
        passwordHash: await hashPassword(password),
        createdAt: new Date(),
        disabledAt: null,
      });
      await em.flush();
      await recordAudit(em, actor, this.entry(user, 'create', null, strip(user)));
      return strip(user);
    });
  }

  async list(actor: Actor, pbxId: number): Promise<PublicUser[]> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'list users');
    const users = await this.orm.em.fork().find(PortalUserSchema, { pbxId }, { orderBy: { id: 'asc' } });
    return users.map(strip);
  }

  async get(actor: Actor, pbxId: number, id: number): Promise<PublicUser> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'see users');
    return strip(await this.load(this.orm.em.fork(), pbxId, id));
  }

  /** Details and permissions; the password has its own method. Partial: fields not given keep their value. */
  async update(actor: Actor, pbxId: number, id: number, input: Input): Promise<PublicUser> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'change users');
    return this.orm.em.fork().transactional(async (em) => {
      const user = await this.load(em, pbxId, id);
      const snap = await loadSnapshot(em, pbxId);
      const taken = new Set(
        (await em.find(PortalUserSchema, { id: { $ne: id } }, { fields: ['username'] })).map((u) => u.username),
      );
      const patch = { ...input };
      delete patch.password;
      // A new type gets that type's default modules unless the form says otherwise.
      if (patch.type !== undefined && patch.type !== user.type && patch.permissions === undefined)
        patch.permissions = 'default';
      const f = new Fields(patch, strip(user) as unknown as Input);
      const data = parseUser(f, snap, id, (u) => taken.has(u));
      data.permissions = limitToActor(actor, f, patch, data.permissions);
      if (actor.kind === 'user' && actor.userId === id) {
        if (data.type !== 'admin') f.fail('type', 'you cannot make your own login an employee');
        if (!data.permissions.includes('users'))
          f.fail('permissions', 'you cannot take the Users module from yourself');
      }
      f.done();
      const before = strip(user);
      em.assign(user, data);
      await this.keepAnAdmin(em, pbxId);
      await em.flush();
      const samePermissions = JSON.stringify(before.permissions) === JSON.stringify(user.permissions);
      await recordAudit(em, actor, this.entry(user, samePermissions ? 'update' : 'permissions', before, strip(user)));
      return strip(user);
    });
  }

  /** Switches a login off (no login, sessions ended) or on again. */
  async setDisabled(actor: Actor, pbxId: number, id: number, disabled: boolean): Promise<PublicUser> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'disable users');
    if (disabled && actor.kind === 'user' && actor.userId === id)
      throw new ForbiddenError('you cannot disable your own login');
    return this.orm.em.fork().transactional(async (em) => {
      const user = await this.load(em, pbxId, id);
      if (!!user.disabledAt === disabled) return strip(user);
      user.disabledAt = disabled ? new Date() : null;
      if (disabled) await this.keepAnAdmin(em, pbxId);
      await em.flush();
      if (disabled) await em.nativeDelete(PortalSessionSchema, { userId: id });
      await recordAudit(em, actor, {
        ...this.entry(user, disabled ? 'disable' : 'enable', null, null),
        changes: { disabled: { before: !disabled, after: disabled } },
      });
      return strip(user);
    });
  }

  /** Sets a new password (administrator for a user of the PBX); every session of that user ends. */
  async resetPassword(actor: Actor, pbxId: number, id: number, input: Input): Promise<void> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'reset passwords');
    const f = new Fields(input);
    const password = checkPassword(f, input.password);
    if (typeof input.passwordConfirm === 'string' && input.passwordConfirm !== password)
      f.fail('passwordConfirm', 'does not match the password');
    f.done();
    await this.orm.em.fork().transactional(async (em) => {
      const user = await this.load(em, pbxId, id);
      user.passwordHash = await hashPassword(password);
      await em.flush();
      await em.nativeDelete(PortalSessionSchema, { userId: id });
      await recordAudit(em, actor, {
        ...this.entry(user, 'reset_password', null, null),
        changes: { password: { before: MASK, after: MASK } },
      });
    });
  }

  async delete(actor: Actor, pbxId: number, id: number): Promise<void> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'delete users');
    if (actor.kind === 'user' && actor.userId === id) throw new ForbiddenError('you cannot delete your own login');
    await this.orm.em.fork().transactional(async (em) => {
      const user = await this.load(em, pbxId, id);
      const before = strip(user);
      em.remove(user);
      await this.keepAnAdmin(em, pbxId, id);
      await em.flush();
      await em.nativeDelete(PortalSessionSchema, { userId: id });
      await recordAudit(em, actor, this.entry(user, 'delete', before, null));
    });
  }

  /** Returns the user (without the hash) when the password matches and the login is enabled; the same null otherwise. */
  async authenticate(username: string, password: string): Promise<PublicUser | null> {
    // Login forms post whatever they like: a non-text field is just a failed login, never a TypeError.
    const name = typeof username === 'string' ? username.trim().toLowerCase() : '';
    const pw = typeof password === 'string' ? password : '';
    const user = name ? await this.orm.em.fork().findOne(PortalUserSchema, { username: name }) : null;
    if (!user || !pw) {
      await hashPassword(pw); // same work either way: no user-enumeration by timing
      return null;
    }
    const ok = await verifyPassword(pw, user.passwordHash);
    return ok && !user.disabledAt ? strip(user) : null;
  }

  private async load(em: EntityManager, pbxId: number, id: number): Promise<PortalUser> {
    const user = Number.isSafeInteger(id) ? await em.findOne(PortalUserSchema, { id, pbxId }) : null;
    // Another PBX's user and a missing one get the same answer.
    if (!user) throw new NotFoundError(`user #${id} does not exist`);
    return user;
  }

  /** A PBX must keep one enabled administrator who can manage users, or nobody could ever fix its logins. */
  private async keepAnAdmin(em: EntityManager, pbxId: number, removedId?: number): Promise<void> {
    const users = await em.find(PortalUserSchema, { pbxId });
    const ok = users.some(
      (u) => u.id !== removedId && u.type === 'admin' && !u.disabledAt && u.permissions.includes('users'),
    );
    if (!ok) throw new ForbiddenError('the PBX needs at least one enabled administrator with the Users module');
  }

  private entry(
    user: PortalUser,
    action: 'create' | 'update' | 'permissions' | 'delete' | 'disable' | 'enable' | 'reset_password',
    before: object | null,
    after: object | null,
  ) {
    return {
      pbxId: user.pbxId,
      action,
      kind: 'users',
      objectId: user.id,
      objectLabel: label(user),
      changes: auditChanges(before as Record<string, unknown> | null, after as Record<string, unknown> | null, [
        'passwordHash',
      ]),
    };
  }
}
