// Portal users: create with a hashed password, authenticate, list and delete within a PBX.
import type { MikroORM } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { type PortalUser, PortalUserSchema } from '../domain/model';
import { printable } from '../domain/printable';
import { parseUser } from '../domain/rules/device-user-rules';
import { Fields } from '../domain/validate';
import { type Actor, assertAdmin, assertCanUse } from './actor';
import { hashPassword, verifyPassword } from './secrets';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;
export type PublicUser = Omit<PortalUser, 'passwordHash'>;

const strip = ({ passwordHash: _, ...u }: PortalUser): PublicUser => u;

/** Long enough to resist guessing, short enough to type; spaces allowed for passphrases. */
function checkPassword(f: Fields, raw: unknown): string {
  const pw = typeof raw === 'string' ? raw : '';
  if (pw.length < 10 || pw.length > 200) f.fail('password', 'must be 10 to 200 characters');
  else if ([...pw].some((c) => c.charCodeAt(0) < 0x20)) f.fail('password', 'must not contain control characters');
  return pw;
}

export class UserService {
  constructor(private readonly orm: MikroORM) {}

  async create(actor: Actor, pbxId: number, input: Input): Promise<PublicUser> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'create users');
    const em = this.orm.em.fork();
    const snap = await loadSnapshot(em, pbxId);
    const taken = new Set((await em.find(PortalUserSchema, {}, { fields: ['username'] })).map((u) => u.username));
    const f = new Fields(input);
    const data = parseUser(f, snap, null, (u) => taken.has(u));
    if (actor.kind === 'user') {
      // An administrator cannot hand out modules they were not given (no escalation through a new login).
      const explicit = input.permissions !== undefined && input.permissions !== null && input.permissions !== 'default';
      const beyond = data.permissions.filter((m) => !actor.permissions.includes(m));
      if (explicit && beyond.length)
        f.fail(
          'permissions',
          `you do not have: ${beyond
            .slice(0, 5)
            .map((m) => printable(m, 30))
            .join(', ')}`,
        );
      data.permissions = data.permissions.filter((m) => actor.permissions.includes(m));
    }
    const password = checkPassword(f, input.password);
    f.done();
    const user = em.create(PortalUserSchema, {
      ...data,
      pbxId,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
    });
    await em.flush();
    return strip(user);
  }

  async list(actor: Actor, pbxId: number): Promise<PublicUser[]> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'list users');
    const users = await this.orm.em.fork().find(PortalUserSchema, { pbxId }, { orderBy: { id: 'asc' } });
    return users.map(strip);
  }

  async delete(actor: Actor, pbxId: number, id: number): Promise<void> {
    assertCanUse(actor, pbxId, 'users');
    assertAdmin(actor, 'delete users');
    if (actor.kind === 'user' && actor.userId === id) throw new ForbiddenError('you cannot delete your own login');
    const em = this.orm.em.fork();
    const user = await em.findOne(PortalUserSchema, { id, pbxId });
    if (!user) throw new NotFoundError(`user #${id} does not exist`);
    await em.remove(user).flush();
  }

  /** Returns the user when the password matches; the same null for unknown user and wrong password. */
  async authenticate(username: string, password: string): Promise<PortalUser | null> {
    // Login forms post whatever they like: a non-text field is just a failed login, never a TypeError.
    const name = typeof username === 'string' ? username.trim().toLowerCase() : '';
    const pw = typeof password === 'string' ? password : '';
    const user = name ? await this.orm.em.fork().findOne(PortalUserSchema, { username: name }) : null;
    if (!user || !pw) {
      await hashPassword(pw); // same work either way: no user-enumeration by timing
      return null;
    }
    return (await verifyPassword(pw, user.passwordHash)) ? user : null;
  }
}
