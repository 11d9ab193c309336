// The CLI's commands, one small function each, all through the service layer as the operator.
import { NotFoundError } from '../domain/errors';
import { printable } from '../domain/printable';
import type { Services } from '../services';
import { SYSTEM } from '../services/actor';
import { KINDS } from '../services/kinds';
import { type Parsed, takeOptions, UsageError } from './args';
import type { CliIo } from './main';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(p: Parsed, s: Services, io: CliIo): Promise<void>;
}

const LIST_KINDS = [...KINDS.map((k) => k.name), 'users', 'listen-live', 'pbxs'];

function table(rows: Array<Record<string, unknown>>, io: CliIo): void {
  if (!rows.length) {
    io.out('(none)');
    return;
  }
  const cols = Object.keys(rows[0]).filter((c) => c !== 'pbxId');
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? ''
      : typeof v === 'object' && !(v instanceof Date)
        ? JSON.stringify(v)
        : v instanceof Date
          ? v.toISOString()
          : String(v);
  const shown = cols.slice(0, 8);
  io.out(shown.join('\t'));
  for (const r of rows) io.out(shown.map((c) => cell(r[c]).slice(0, 60)).join('\t'));
}

export const COMMANDS: Command[] = [
  {
    name: 'pbx create',
    usage: 'pbx create --context CTX --name NAME [--domain D] [--timezone TZ]',
    summary: 'create a PBX (tenant)',
    async run(p, s, io) {
      const o = takeOptions(p, ['context', 'name'], ['domain', 'timezone']);
      const pbx = await s.pbx.create(SYSTEM, {
        context: o.context,
        name: o.name,
        domain: o.domain,
        timezone: o.timezone,
      });
      io.out(`created PBX ${pbx.context} (domain ${pbx.domain}, time zone ${pbx.timezone})`);
    },
  },
  {
    name: 'pbx set',
    usage: 'pbx set --pbx CTX --tftp-credentials on|off [--json]',
    summary: 'operator-only PBX settings: serve phone credentials over TFTP (closed LANs only; TFTP has no login)',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
      const o = takeOptions(p, ['pbx', 'tftp-credentials'], [], ['json']);
      const raw = o['tftp-credentials'];
      if (raw !== 'on' && raw !== 'off') throw new UsageError('--tftp-credentials must be on or off');
      const value = raw === 'on';
      const pbx = await s.pbx.update(SYSTEM, (await s.pbx.byContext(o.pbx)).id, { tftpCredentials: value });
      if (o.flags.has('json')) io.out(JSON.stringify({ context: pbx.context, tftpCredentials: pbx.tftpCredentials }));
      else io.out(`${pbx.context}: TFTP credential serving ${pbx.tftpCredentials ? 'on' : 'off'}`);
    },
  },
  {
    name: 'user create',
    usage: 'user create --pbx CTX --username U --password P --type admin|employee [--extension N]',
    summary: 'create a portal user; an employee needs their extension number',
    async run(p, s, io) {
      const o = takeOptions(
        p,
        ['pbx', 'username', 'password', 'type'],
        ['extension', 'first-name', 'last-name', 'email'],
      );
      const pbx = await s.pbx.byContext(o.pbx);
      let extensionId: number | null = null;
      if (o.extension) {
        const ext = (await s.snapshot(pbx.id)).extensions.find((e) => e.number === o.extension);
        if (!ext) throw new NotFoundError(`extension ${printable(o.extension)} does not exist in ${pbx.context}`);
        extensionId = ext.id;
      }
      const user = await s.users.create(SYSTEM, pbx.id, {
        username: o.username,
        password: o.password,
        type: o.type,
        extensionId,
        firstName: o['first-name'],
        lastName: o['last-name'],
        email: o.email,
      });
      io.out(`created ${user.type} ${user.username} in ${pbx.context}`);
    },
  },
  {
    name: 'demo',
    usage: 'demo --context CTX',
    summary: 'seed the demo PBX under CTX (running it again changes nothing)',
    async run(p, s, io) {
      const o = takeOptions(p, ['context'], []);
      const { seedDemo } = await import('../services/demo'); // for this command only
      const r = await seedDemo(s, o.context);
      if (!r.created) io.out(`demo PBX ${o.context} already exists; nothing changed`);
      else io.out(`created demo PBX ${o.context}\nadmin login: ${r.admin?.username}\npassword: ${r.admin?.password}`);
    },
  },
  {
    name: 'list',
    usage: `list KIND --pbx CTX [--json]   (KIND: ${LIST_KINDS.join(', ')})`,
    summary: 'list the objects of one kind in a PBX',
    async run(p, s, io) {
      const kind = p.positionals[0];
      if (!kind || !LIST_KINDS.includes(kind)) throw new UsageError(`KIND must be one of: ${LIST_KINDS.join(', ')}`);
      if (p.positionals.length > 1) throw new UsageError(`unexpected argument ${printable(p.positionals[1])}`);
      const o = takeOptions(p, kind === 'pbxs' ? [] : ['pbx'], kind === 'pbxs' ? ['pbx'] : [], ['json']);
      let rows: Array<Record<string, unknown>>;
      // Reads never carry secrets (PIN, passwords): a listing piped into a ticket or a log leaks none.
      if (kind === 'pbxs') rows = (await s.pbx.list(SYSTEM)).map((r) => ({ ...r }));
      else {
        const pbx = await s.pbx.byContext(o.pbx as string);
        if (kind === 'users') rows = (await s.users.list(SYSTEM, pbx.id)) as never;
        else if (kind === 'listen-live') rows = [{ ...(await s.pbx.getListenLive(SYSTEM, pbx.id)) }];
        else rows = await s.pages.all(SYSTEM, pbx.id, kind);
      }
      if (o.flags.has('json')) io.out(JSON.stringify(rows, null, 2));
      else table(rows, io);
    },
  },
];

/**
 * The other commands by their first word, each group loaded only to run one of its commands: a `dialtone list` need
 * not load the generator, SFTP, the provisioning renderer and the call-record intake first (~30 % of its time).
 */
const GROUPS: Record<string, () => Promise<Command[]>> = {
  device: async () => (await import('./device-commands')).DEVICE_COMMANDS,
  number: async () => (await import('./number-commands')).NUMBER_COMMANDS,
  'api-token': async () => (await import('./api-token-commands')).API_TOKEN_COMMANDS,
  freeswitch: async () => (await import('./freeswitch-commands')).FREESWITCH_COMMANDS,
  provisioning: async () => (await import('./publish-commands')).PUBLISH_COMMANDS,
  cdr: async () => (await import('./cdr-commands')).CDR_COMMANDS,
  jobs: async () => (await import('./jobs-commands')).JOBS_COMMANDS,
};

/** Every command with its code, in the command table's order (command-table.test.ts keeps both the same). */
export async function allCommands(): Promise<Command[]> {
  const groups = await Promise.all(Object.values(GROUPS).map((load) => load()));
  return [...COMMANDS, ...groups.flat()];
}

/** The code of a command the command table names. */
export async function commandByName(name: string): Promise<Command> {
  const load = GROUPS[name.split(' ')[0] ?? ''];
  const command = (load ? await load() : COMMANDS).find((c) => c.name === name);
  if (!command) throw new Error(`command "${name}" is in the command table but has no code`);
  return command;
}
