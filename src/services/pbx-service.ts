// PBX (tenant) lifecycle and PBX Info: create (operator only), read, update features, find by context.
//
// Secrets and who reads them (the portal and the API build on this; the safe shape is the default):
// - Every read and every save returns a PbxView: the PBX without its PIN and phone admin password. That includes
//   `list` (which any logged-in user may call to learn their PBX's name), `get`, `byContext` and `update`.
// - `revealSecrets` gives the PIN and the phone admin password to an administrator with PBX Info (the PBX Info screen
//   shows both). The manual says employees use the PIN to verify their identity with support: whoever holds it can
//   ask support to change the PBX, so employees are not shown it; their administrator tells them when needed.
// - `revealPhoneAdminPassword` gives the phone admin password (it opens every desk phone's admin menu) to an
//   administrator with PBX Info or Devices (the device screen shows it to the installer). Nobody else.
// - Listen Live's password is never in `getListenLive`/`setListenLive` (they say `passwordSet`); an administrator
//   with Listen Live reads it through `revealListenLivePassword`, as the Listen Live screen shows it.
// - `tftpCredentials` (serving phone credentials over TFTP without a login, on a port the operator runs) is set by
//   the operator only (`dialtone pbx set --tftp-credentials`); a tenant administrator is refused.
// The operator (SYSTEM) may call everything.
import type { MikroORM } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { type ListenLive, ListenLiveSchema, type Pbx, PbxSchema } from '../domain/model';
import { printable } from '../domain/printable';
import { dialNumbers } from '../domain/rules/feature-codes';
import { parseListenLive, parsePbx } from '../domain/rules/other-rules';
import { Fields } from '../domain/validate';
import { type Actor, assertAdmin, assertCanUse } from './actor';
import { recordAudit } from './audit';
import { randomAlnum, randomDigits } from './secrets';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;

/** Columns of the PBX row that no plain read returns. */
export const PBX_SECRET_FIELDS = ['pin', 'phoneAdminPassword'] as const;

/** A PBX as every read returns it: without its PIN and phone admin password. */
export type PbxView = Omit<Pbx, (typeof PBX_SECRET_FIELDS)[number]>;

export interface PbxSecrets {
  pin: string;
  phoneAdminPassword: string;
}

/** Listen Live settings without the password; `passwordSet` says whether one is set. */
export type ListenLiveView = Omit<ListenLive, 'password'> & { passwordSet: boolean };

/** Settings only the operator changes: call paths are billed, the SIP domain is DNS, TFTP credentials are exposure. */
const OPERATOR_ONLY: Record<string, string> = {
  prepaidPaths: 'can only be changed by the operator',
  prepaidFaxPaths: 'can only be changed by the operator',
  domain: 'can only be changed by the operator',
  tftpCredentials:
    'can only be changed by the operator: it serves phone passwords over TFTP without a login (dialtone pbx set --tftp-credentials)',
};

export function pbxView(pbx: Pbx): PbxView {
  const { pin: _pin, phoneAdminPassword: _pw, ...view } = pbx;
  return { ...view };
}

function listenLiveView(ll: ListenLive): ListenLiveView {
  const { password, ...view } = ll;
  return { ...view, passwordSet: password !== '' };
}

export class PbxService {
  constructor(private readonly orm: MikroORM) {}

  async create(actor: Actor, input: Input): Promise<PbxView> {
    // Tenants are created by the operator (CLI), never from inside another tenant.
    if (actor.kind !== 'system') throw new ForbiddenError('only the operator can create a PBX');
    return this.orm.em.fork().transactional(async (em) => {
      const others = await em.find(PbxSchema, {}, { fields: ['id', 'context', 'domain'] });
      const context = String(input.context ?? '');
      const withDefaults: Input = {
        domain: input.domain ?? `${context.replace(/_/g, '-')}.pbx.local`,
        timezone: 'America/New_York',
        pin: randomDigits(6),
        phoneAdminPassword: randomAlnum(12),
        ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      };
      const f = new Fields(withDefaults);
      const data = parsePbx(f, others, null);
      f.done();
      const pbx = em.create(PbxSchema, { ...data, createdAt: new Date() });
      await em.flush();
      em.create(ListenLiveSchema, { pbxId: pbx.id, mode: 'off', password: '', listenerIds: [], listenableIds: [] });
      await em.flush();
      return pbxView(pbx);
    });
  }

  /** The operator's lookup by context (CLI, export): no actor, so no secrets either. */
  async byContext(context: string): Promise<PbxView> {
    // Only a context's shape is looked up: a NUL or 10 kB of text gets "does not exist", not a database error.
    const pbx = /^[a-z0-9_]{1,32}$/.test(context) ? await this.orm.em.fork().findOne(PbxSchema, { context }) : null;
    if (!pbx) throw new NotFoundError(`PBX "${printable(context)}" does not exist`);
    return pbxView(pbx);
  }

  /** Every PBX for the operator; a user's own PBX for anyone logged in (the portal's header needs its name). */
  async list(actor: Actor): Promise<PbxView[]> {
    const em = this.orm.em.fork();
    const rows =
      actor.kind === 'system'
        ? await em.find(PbxSchema, {}, { orderBy: { id: 'asc' } })
        : await em.find(PbxSchema, { id: actor.pbxId });
    return rows.map(pbxView);
  }

  async get(actor: Actor, pbxId: number): Promise<PbxView> {
    return pbxView(await this.load(actor, pbxId));
  }

  /** PBX Info screen: the PIN and the phone admin password (administrators with PBX Info only). */
  async revealSecrets(actor: Actor, pbxId: number): Promise<PbxSecrets> {
    assertAdmin(actor, 'see the PBX PIN and phone admin password');
    const pbx = await this.load(actor, pbxId);
    return { pin: pbx.pin, phoneAdminPassword: pbx.phoneAdminPassword };
  }

  /** Device screen: the password of every phone's admin menu (administrators with PBX Info or Devices). */
  async revealPhoneAdminPassword(actor: Actor, pbxId: number): Promise<string> {
    const module = actor.kind === 'user' && !actor.permissions.includes('pbx_info') ? 'devices' : 'pbx_info';
    assertCanUse(actor, pbxId, module);
    assertAdmin(actor, 'see the phone admin password');
    const pbx = await this.orm.em.fork().findOne(PbxSchema, { id: pbxId });
    if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    return pbx.phoneAdminPassword;
  }

  private async load(actor: Actor, pbxId: number): Promise<Pbx> {
    assertCanUse(actor, pbxId, 'pbx_info');
    const pbx = await this.orm.em.fork().findOne(PbxSchema, { id: pbxId });
    if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    return pbx;
  }

  /** PBX Info screen: general info, caller ID defaults, PBX features. The context cannot change (FreeSWITCH names hang on it). */
  async update(actor: Actor, pbxId: number, patch: Input): Promise<PbxView> {
    assertCanUse(actor, pbxId, 'pbx_info');
    assertAdmin(actor, 'change PBX settings');
    return this.orm.em.fork().transactional(async (em) => {
      const pbx = await em.findOne(PbxSchema, { id: pbxId });
      if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
      const others = await em.find(PbxSchema, {}, { fields: ['id', 'context', 'domain'] });
      const f = new Fields({ ...patch, context: pbx.context }, { ...pbx } as Input);
      // New feature codes are checked against the PBX's numbers (extension, mailbox, queue, park slot collisions).
      const numbers = 'featureCodes' in patch ? dialNumbers(await loadSnapshot(em, pbxId)) : undefined;
      const data = parsePbx(f, others, pbxId, numbers);
      if (actor.kind !== 'system') {
        // Compared after parsing: "yes" for a setting already on is no change, and is not refused.
        const before = pbx as unknown as Input;
        const after = data as unknown as Input;
        for (const [k, message] of Object.entries(OPERATOR_ONLY))
          if (k in patch && !f.errors[k] && after[k] !== before[k]) f.fail(k, message);
      }
      f.done();
      const before = { ...pbx };
      em.assign(pbx, data);
      await em.flush();
      await recordAudit(em, actor, {
        pbxId,
        action: 'update',
        kind: 'pbx',
        objectId: pbxId,
        objectLabel: `PBX ${pbx.context}`,
        before,
        after: { ...pbx },
      });
      return pbxView(pbx);
    });
  }

  async getListenLive(actor: Actor, pbxId: number): Promise<ListenLiveView> {
    return listenLiveView(await this.loadListenLive(actor, pbxId, 'see listen live settings'));
  }

  /** Listen Live screen: the password callers key before listening or barging in (administrators with Listen Live). */
  async revealListenLivePassword(actor: Actor, pbxId: number): Promise<string> {
    return (await this.loadListenLive(actor, pbxId, 'see the listen live password')).password;
  }

  private async loadListenLive(actor: Actor, pbxId: number, what: string): Promise<ListenLive> {
    assertCanUse(actor, pbxId, 'listen_live');
    assertAdmin(actor, what);
    const ll = await this.orm.em.fork().findOne(ListenLiveSchema, { pbxId });
    if (!ll) throw new NotFoundError('listen live settings missing');
    return ll;
  }

  async setListenLive(actor: Actor, pbxId: number, patch: Input): Promise<ListenLiveView> {
    assertCanUse(actor, pbxId, 'listen_live');
    assertAdmin(actor, 'change listen live settings');
    return this.orm.em.fork().transactional(async (em) => {
      const snap = await loadSnapshot(em, pbxId);
      const ll = await em.findOne(ListenLiveSchema, { pbxId });
      if (!ll) throw new NotFoundError('listen live settings missing');
      const f = new Fields(patch, { ...ll } as Input);
      const data = parseListenLive(f, snap);
      f.done();
      const before = { ...ll };
      em.assign(ll, data);
      await em.flush();
      await recordAudit(em, actor, {
        pbxId,
        action: 'update',
        kind: 'listen-live',
        objectId: ll.id,
        objectLabel: 'listen live',
        before,
        after: { ...ll },
      });
      return listenLiveView(ll);
    });
  }
}
