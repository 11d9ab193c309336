// `dialtone device …`: add a phone (prints its provisioning credentials once), arm its provisioning window, list, rotate.
import { ValidationError } from '../domain/errors';
import { printable } from '../domain/printable';
import { defaultProfileDir } from '../provisioning/profile-dir';
import type { Services } from '../services';
import { SYSTEM } from '../services/actor';
import { DeviceService } from '../services/device-service';
import { formatMac } from '../vendors/mac';
import { loadProfileCatalog, type ProfileCatalog } from '../vendors/profile-catalog';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

function devices(s: Services, catalog?: ProfileCatalog): DeviceService {
  return new DeviceService(s.orm, catalog ?? loadProfileCatalog(defaultProfileDir()));
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function oneMac(positionals: string[]): string {
  const [mac, extra] = positionals;
  if (!mac) throw new UsageError('give the MAC address of the phone');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${printable(extra)}`);
  return mac;
}

export const DEVICE_COMMANDS: Command[] = [
  {
    name: 'device add',
    usage:
      'device add --pbx CTX --mac MAC --model MODEL --extension EXT[,EXT…] [--blf EXT,EXT…] [--park SLOT,…] [--label TEXT] [--json]',
    summary: 'add a phone; prints its provisioning username and password (shown once). MODEL: profile id or "VVX 450"',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(p, ['pbx', 'mac', 'model', 'extension'], ['blf', 'park', 'label'], ['json']);
      const service = devices(s);
      const profileId = service.resolveModel(o.model);
      if (!profileId) {
        const known = service.catalog.all.map((x) => `"${x.model}" (${x.id})`).join(', ');
        throw new ValidationError({ model: `unknown phone model "${printable(o.model)}"; known: ${known}` });
      }
      const pbx = await s.pbx.byContext(o.pbx);
      const snap = await s.snapshot(pbx.id);
      const errors: Record<string, string> = {};
      const idsOf = (field: string, numbers: string[]) =>
        numbers.map((n) => {
          const ext = snap.extensions.find((e) => e.number === n);
          if (!ext) errors[field] = `extension ${n} does not exist in ${pbx.context}`;
          return ext?.id ?? 0;
        });
      const extensionIds = idsOf('extension', list(o.extension));
      const blf = idsOf('blf', list(o.blf)).map((extensionId) => ({ type: 'blf', extensionId }));
      const park = list(o.park).map((slot) => ({ type: 'park', slot }));
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const added = await service.add(SYSTEM, pbx.id, {
        mac: o.mac,
        profileId,
        label: o.label ?? null,
        extensionIds,
        lineKeys: [...blf, ...park],
      });
      if (o.flags.has('json')) {
        io.out(JSON.stringify({ username: added.username, password: added.password }));
        return;
      }
      const model = service.catalog.byId(profileId)?.model ?? profileId;
      io.out(`added ${model} ${formatMac(added.device.mac)} to ${pbx.context}`);
      io.out(`provisioning username: ${added.username}`);
      io.out(`provisioning password: ${added.password}`);
      io.out('(the password is shown only now; or run "dialtone device arm MAC" before the phone boots)');
    },
  },
  {
    name: 'device arm',
    usage: 'device arm MAC [--minutes N] [--json]',
    summary: 'open the provisioning window: the phone may fetch its config once without credentials (default 15 min)',
    async run(p, s, io) {
      const o = takeOptions(p, [], ['minutes'], ['json']);
      const mac = oneMac(p.positionals);
      const minutes =
        o.minutes === undefined ? undefined : /^\d{1,5}$/.test(o.minutes) ? Number(o.minutes) : Number.NaN;
      if (minutes !== undefined && Number.isNaN(minutes)) throw new UsageError('--minutes must be a whole number');
      const service = devices(s);
      const until = await service.arm(SYSTEM, mac, minutes);
      const device = await service.byMac(SYSTEM, mac);
      if (o.flags.has('json')) io.out(JSON.stringify({ mac: device.mac, armedUntil: until.toISOString() }));
      else io.out(`provisioning window for ${formatMac(device.mac)} open until ${until.toISOString()}`);
    },
  },
  {
    name: 'device list',
    usage: 'device list --pbx CTX [--json]',
    summary: 'list the phones of a PBX with their lines, window and last fetch',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(p, ['pbx'], [], ['json']);
      const service = devices(s);
      const pbx = await s.pbx.byContext(o.pbx);
      const snap = await s.snapshot(pbx.id);
      const number = (id: number) => snap.extensions.find((e) => e.id === id)?.number ?? `#${id}`;
      const rows = (await service.list(SYSTEM, pbx.id)).map((d) => ({
        ...d,
        model: service.catalog.byId(d.profileId)?.model ?? d.profileId,
        extensions: d.extensionIds.map(number),
      }));
      if (o.flags.has('json')) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      if (!rows.length) {
        io.out('(none)');
        return;
      }
      const when = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : '');
      io.out(['mac', 'model', 'extensions', 'label', 'window until', 'last seen', 'last ip'].join('\t'));
      for (const r of rows)
        io.out(
          [
            formatMac(r.mac),
            r.model,
            r.extensions.join(','),
            r.label ?? '',
            when(r.armedUntil),
            when(r.lastSeenAt),
            r.lastIp ?? '',
          ].join('\t'),
        );
      // What the model cannot show of what is configured for it, under its row.
      for (const r of rows) for (const w of r.warnings) io.out(`${formatMac(r.mac)}: ${w}`);
    },
  },
  {
    name: 'device rotate',
    usage: 'device rotate MAC [--json]',
    summary: 'give a phone a new provisioning password (printed once); the old one stops working at once',
    async run(p, s, io) {
      const o = takeOptions(p, [], [], ['json']);
      const mac = oneMac(p.positionals);
      const cred = await devices(s).rotateCredentials(SYSTEM, mac);
      if (o.flags.has('json')) io.out(JSON.stringify(cred));
      else io.out(`provisioning username: ${cred.username}\nprovisioning password: ${cred.password}`);
    },
  },
];
