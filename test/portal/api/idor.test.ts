// IDOR sweep: every API route × every kind, with a token of another PBX and with an employee token of the right PBX.
// Expected: zero leaks — no object of another tenant or another employee in any answer, "does not exist" answers that
// are the same as for a missing id, no secret value anywhere, and nothing stored changes.
import { expect } from 'chai';
import {
  ApiTokenSchema,
  ConferenceRoomSchema,
  DeviceSchema,
  ExtensionSchema,
  ListenLiveSchema,
  MailboxSchema,
  PbxSchema,
  PortalUserSchema,
  SipTrunkSchema,
} from '../../../src/domain/model';
import { EMPLOYEE_MODULES } from '../../../src/domain/rules/device-user-rules';
import { isSecretField } from '../../../src/portal/api/present';
import { SYSTEM } from '../../../src/services/actor';
import { KINDS } from '../../../src/services/kinds';
import { forEachEngine } from '../../helpers/databases';
import { create, insertAudio, type MadePbx, validInput } from '../../services/fixture';
import { stored } from '../../services/support';
import { type ApiWorld, openApiWorld, type Reply } from './api-world';

type Seen = { who: string; method: string; path: string; reply: Reply };

forEachEngine('API IDOR sweep', (engine) => {
  let w: ApiWorld;
  /** Ids of one object of every kind, per PBX. */
  const ids: Record<'a' | 'b', Record<string, number>> = { a: {}, b: {} };
  const seen: Seen[] = [];
  /** A create body per kind, built up front: building one (e911) adds a phone number, which must not count as a change. */
  const bodies: Record<string, unknown> = {};

  async function plant(pbx: MadePbx, into: Record<string, number>, n: number): Promise<void> {
    for (const kind of KINDS) {
      if (kind.name === 'audio') into.audio = await insertAudio(w.fx, pbx, 1000);
      else if (kind.name === 'devices') {
        const mac = `00:04:f2:00:cc:0${n}`;
        const made = await w.call('POST', `/api/v1/pbxs/${pbx.pbx.context}/devices`, {
          token: n === 1 ? w.tokens.adminA : w.tokens.adminB,
          body: { mac, profileId: 'polycom-vvx450', extensionIds: [pbx.ext['201'].id] },
        });
        into.devices = made.json.id;
      } else {
        const input = await validInput(kind.name, w.fx, pbx);
        if (kind.name === 'trunks')
          Object.assign(input, { username: 'u1', password: `TrunkSecret${n}x9Q`, register: true });
        if (kind.name === 'conferences') input.password = `9472618${n}`;
        into[kind.name] = (await create(w.fx, kind.name, input, pbx)).id as number;
      }
    }
    // Distinctive secrets, so a leak is found by searching the answers for them.
    await w.fx.s.pbx.update(SYSTEM, pbx.pbx.id, { pin: `6041739${n}` });
    for (const e of Object.values(pbx.ext))
      await w.fx.s.objects.update(SYSTEM, pbx.pbx.id, 'mailboxes', e.mailboxId, {
        password: `58173${e.mailboxId}2${n}`,
      });
  }

  /** Every stored secret of length ≥ 8 (shorter ones could match a digit run by chance; their keys are checked instead). */
  async function secrets(): Promise<string[]> {
    const em = w.fx.s.orm.em.fork();
    const values: unknown[] = [];
    for (const p of await em.find(PbxSchema, {})) values.push(p.pin, p.phoneAdminPassword);
    for (const e of await em.find(ExtensionSchema, {})) values.push(e.sipPassword);
    for (const m of await em.find(MailboxSchema, {})) values.push(m.password);
    for (const c of await em.find(ConferenceRoomSchema, {})) values.push(c.password);
    for (const t of await em.find(SipTrunkSchema, {})) values.push(t.password);
    for (const d of await em.find(DeviceSchema, {})) values.push(d.provisioningHa1, d.appTokenHash, d.appTokenSalt);
    for (const u of await em.find(PortalUserSchema, {})) values.push(u.passwordHash);
    for (const t of await em.find(ApiTokenSchema, {})) values.push(t.tokenHash);
    for (const l of await em.find(ListenLiveSchema, {})) values.push(l.password);
    return values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
  }

  before(async function () {
    this.timeout(180_000);
    w = await openApiWorld(engine);
    await plant(w.fx.a, ids.a, 1);
    await plant(w.fx.b, ids.b, 2);
    for (const kind of KINDS)
      bodies[kind.name] = kind.name === 'audio' || kind.name === 'devices' ? {} : await validInput(kind.name, w.fx);
  });
  after(async () => w?.close());

  async function hit(who: keyof ApiWorld['tokens'], method: string, path: string, body?: unknown): Promise<Reply> {
    const reply = await w.call(method, path, { token: w.tokens[who], body });
    seen.push({ who, method, path, reply });
    return reply;
  }

  it('another PBX’s token: every route of every kind on that PBX answers exactly like a PBX that does not exist', async function () {
    this.timeout(180_000);
    const before = await stored(w.fx.s, w.fx.pbxIds);
    const missing = (await w.call('GET', '/api/v1/pbxs/no_such_pbx', { token: w.tokens.adminB })).json;
    const expectMissing = (r: Reply, what: string) => {
      expect(r.status, what).to.equal(404);
      expect(r.json, what).to.deep.equal(missing);
    };
    expectMissing(await hit('adminB', 'GET', '/api/v1/pbxs/pbx_a'), 'GET pbx');
    expectMissing(await hit('adminB', 'PATCH', '/api/v1/pbxs/pbx_a', { name: 'Hacked' }), 'PATCH pbx');
    for (const kind of KINDS.map((k) => k.name)) {
      const base = `/api/v1/pbxs/pbx_a/${kind}`;
      expectMissing(await hit('adminB', 'GET', base), `GET ${kind}`);
      expectMissing(await hit('adminB', 'POST', base, bodies[kind]), `POST ${kind}`);
      for (const id of [ids.a[kind], ids.b[kind], 99999999]) {
        expectMissing(await hit('adminB', 'GET', `${base}/${id}`), `GET ${kind}/${id}`);
        expectMissing(await hit('adminB', 'PATCH', `${base}/${id}`, {}), `PATCH ${kind}/${id}`);
        expectMissing(await hit('adminB', 'DELETE', `${base}/${id}`), `DELETE ${kind}/${id}`);
      }
    }
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(before);
  });

  it('another PBX’s object ids through one’s own PBX: "does not exist", the same answer as for a missing id', async function () {
    this.timeout(180_000);
    const before = await stored(w.fx.s, w.fx.pbxIds);
    for (const kind of KINDS.map((k) => k.name)) {
      const base = `/api/v1/pbxs/pbx_b/${kind}`;
      const id = ids.a[kind];
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const r = await hit('adminB', method, `${base}/${id}`, method === 'PATCH' ? {} : undefined);
        const m = await w.call(method, `${base}/99999999`, {
          token: w.tokens.adminB,
          body: method === 'PATCH' ? {} : undefined,
        });
        expect(r.status, `${method} ${kind}`).to.equal(404);
        expect(r.json, `${method} ${kind}`).to.deep.equal({
          ...m.json,
          message: m.json.message.replace('99999999', String(id)),
        });
      }
      const list = await hit('adminB', 'GET', `${base}?limit=500`);
      expect(list.status).to.equal(200);
      const bIds = new Set((await w.fx.s.objects.list(SYSTEM, w.fx.b.pbx.id, kind)).map((o) => o.id));
      for (const item of list.json.items) expect(bIds.has(item.id), `${kind} #${item.id} belongs to B`).to.equal(true);
    }
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(before);
  });

  it('an employee: their own extension and mailbox only; everything else is 404 (like missing) or 403 (module, role)', async function () {
    this.timeout(180_000);
    const before = await stored(w.fx.s, w.fx.pbxIds);
    const own = { extensions: w.fx.a.ext['201'].id, mailboxes: w.fx.a.ext['201'].mailboxId } as Record<string, number>;
    for (const kind of KINDS) {
      const base = `/api/v1/pbxs/pbx_a/${kind.name}`;
      const list = await hit('employeeA1', 'GET', `${base}?limit=500`);
      // An employee's module without an employee rule (audio, under voicemail) shows nothing rather than refusing.
      const hasModule = EMPLOYEE_MODULES.includes(kind.module);
      if (hasModule) {
        expect(list.status, kind.name).to.equal(200);
        const mine = own[kind.name] ? [own[kind.name]] : [];
        expect(
          list.json.items.map((o: { id: number }) => o.id),
          kind.name,
        ).to.deep.equal(mine);
      } else expect(list.status, kind.name).to.equal(403);
      expect((await hit('employeeA1', 'POST', base, bodies[kind.name])).status, `POST ${kind.name}`).to.equal(403);
      const all = (await w.fx.s.objects.list(SYSTEM, w.fx.a.pbx.id, kind.name)).map((o) => o.id as number);
      for (const id of [...all.filter((x) => x !== own[kind.name]), ids.b[kind.name]]) {
        for (const method of ['GET', 'PATCH']) {
          const r = await hit('employeeA1', method, `${base}/${id}`, method === 'PATCH' ? {} : undefined);
          const m = await w.call(method, `${base}/99999999`, {
            token: w.tokens.employeeA1,
            body: method === 'PATCH' ? {} : undefined,
          });
          expect(r.status, `${method} ${kind.name}/${id}`).to.equal(hasModule ? 404 : 403);
          const same = (text: string) => text.replace(/#\d+/, '#N');
          expect(same(r.json.message), `${method} ${kind.name}`).to.equal(same(m.json.message));
        }
        expect((await hit('employeeA1', 'DELETE', `${base}/${id}`)).status, `DELETE ${kind.name}/${id}`).to.equal(403);
      }
    }
    expect((await hit('employeeA1', 'GET', '/api/v1/pbxs/pbx_a')).status).to.equal(403);
    expect((await hit('employeeA1', 'GET', '/api/v1/pbxs/pbx_b')).status).to.equal(404);
    expect(await stored(w.fx.s, w.fx.pbxIds)).to.equal(before);
  });

  it('reads of one’s own objects carry no secret field; no answer of the sweep holds a secret value', async function () {
    this.timeout(180_000);
    const t = { token: w.tokens.adminA };
    for (const kind of KINDS) {
      seen.push({
        who: 'adminA',
        method: 'GET',
        path: kind.name,
        reply: await w.call('GET', `/api/v1/pbxs/pbx_a/${kind.name}?limit=500`, t),
      });
      seen.push({
        who: 'adminA',
        method: 'GET',
        path: kind.name,
        reply: await w.call('GET', `/api/v1/pbxs/pbx_a/${kind.name}/${ids.a[kind.name]}`, t),
      });
    }
    seen.push({ who: 'adminA', method: 'GET', path: 'pbx', reply: await w.call('GET', '/api/v1/pbxs/pbx_a', t) });
    seen.push({ who: 'adminA', method: 'GET', path: 'pbxs', reply: await w.call('GET', '/api/v1/pbxs', t) });
    seen.push({
      who: 'employeeA1',
      method: 'GET',
      path: 'own',
      reply: await w.call('GET', `/api/v1/pbxs/pbx_a/extensions/${w.fx.a.ext['201'].id}`, {
        token: w.tokens.employeeA1,
      }),
    });
    seen.push({
      who: 'employeeA1',
      method: 'GET',
      path: 'own',
      reply: await w.call('GET', `/api/v1/pbxs/pbx_a/mailboxes/${w.fx.a.ext['201'].mailboxId}`, {
        token: w.tokens.employeeA1,
      }),
    });
    const values = await secrets();
    expect(values.length).to.be.greaterThan(20);
    const keys = (v: unknown, out: string[] = []): string[] => {
      if (Array.isArray(v)) for (const x of v) keys(x, out);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(k, ...keys(x));
      return out;
    };
    expect(seen.length).to.be.greaterThan(200);
    for (const { who, method, path, reply } of seen) {
      for (const secret of values)
        expect(reply.text.includes(secret), `${who} ${method} ${path} leaks a secret`).to.equal(false);
      for (const k of keys(reply.json))
        expect(k, `${who} ${method} ${path}`).to.satisfy((n: string) => !isSecretField(n));
    }
  });
});
