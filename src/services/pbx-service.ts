// PBX (tenant) lifecycle and PBX Info: create (operator only), read, update features, find by context.
import type { MikroORM } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { ListenLiveSchema, type Pbx, PbxSchema } from '../domain/model';
import { printable } from '../domain/printable';
import { dialNumbers } from '../domain/rules/feature-codes';
import { parseListenLive, parsePbx } from '../domain/rules/other-rules';
import { Fields } from '../domain/validate';
import { type Actor, assertAdmin, assertCanUse } from './actor';
import { recordAudit } from './audit';
import { randomAlnum, randomDigits } from './secrets';
import { loadSnapshot } from './snapshot-loader';

type Input = Record<string, unknown>;

export class PbxService {
  constructor(private readonly orm: MikroORM) {}

  async create(actor: Actor, input: Input): Promise<Pbx> {
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
      return pbx;
    });
  }

  async byContext(context: string): Promise<Pbx> {
    // Only a context's shape is looked up: a NUL or 10 kB of text gets "does not exist", not a database error.
    const pbx = /^[a-z0-9_]{1,32}$/.test(context) ? await this.orm.em.fork().findOne(PbxSchema, { context }) : null;
    if (!pbx) throw new NotFoundError(`PBX "${printable(context)}" does not exist`);
    return pbx;
  }

  async list(actor: Actor): Promise<Pbx[]> {
    const em = this.orm.em.fork();
    if (actor.kind === 'system') return em.find(PbxSchema, {}, { orderBy: { id: 'asc' } });
    return em.find(PbxSchema, { id: actor.pbxId });
  }

  async get(actor: Actor, pbxId: number): Promise<Pbx> {
    assertCanUse(actor, pbxId, 'pbx_info');
    const pbx = await this.orm.em.fork().findOne(PbxSchema, { id: pbxId });
    if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    return pbx;
  }

  /** PBX Info screen: general info, caller ID defaults, PBX features. The context cannot change (FreeSWITCH names hang on it). */
  async update(actor: Actor, pbxId: number, patch: Input): Promise<Pbx> {
    assertCanUse(actor, pbxId, 'pbx_info');
    assertAdmin(actor, 'change PBX settings');
    return this.orm.em.fork().transactional(async (em) => {
      const pbx = await em.findOne(PbxSchema, { id: pbxId });
      if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
      const others = await em.find(PbxSchema, {}, { fields: ['id', 'context', 'domain'] });
      const f = new Fields({ ...patch, context: pbx.context }, { ...pbx } as Input);
      if (actor.kind !== 'system') {
        // Call paths are what the customer pays for: only the operator sets prepaid paths.
        for (const k of ['prepaidPaths', 'prepaidFaxPaths', 'domain'])
          if (k in patch && patch[k] !== (pbx as unknown as Input)[k]) f.fail(k, 'can only be changed by the operator');
      }
      // New feature codes are checked against the PBX's numbers (extension, mailbox, queue, park slot collisions).
      const numbers = 'featureCodes' in patch ? dialNumbers(await loadSnapshot(em, pbxId)) : undefined;
      const data = parsePbx(f, others, pbxId, numbers);
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
      return pbx;
    });
  }

  async getListenLive(actor: Actor, pbxId: number) {
    assertCanUse(actor, pbxId, 'listen_live');
    assertAdmin(actor, 'see listen live settings');
    const ll = await this.orm.em.fork().findOne(ListenLiveSchema, { pbxId });
    if (!ll) throw new NotFoundError('listen live settings missing');
    return ll;
  }

  async setListenLive(actor: Actor, pbxId: number, patch: Input) {
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
      return ll;
    });
  }
}
