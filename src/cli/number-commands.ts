// `dialtone number …`: the operator assigns phone numbers (DIDs) to a PBX and takes them back. A PBX's administrators
// route and name their numbers in the portal but never add or remove one (kinds.ts: `operator`).
import { NotFoundError } from '../domain/errors';
import { printable } from '../domain/printable';
import type { Services } from '../services';
import { SYSTEM } from '../services/actor';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

function digits(raw: string): string {
  return raw.replace(/[\s().+-]/g, '');
}

async function assigned(s: Services, pbxId: number, raw: string): Promise<{ id: number; number: string }> {
  const want = digits(raw);
  const row = (await s.objects.list(SYSTEM, pbxId, 'numbers')).find(
    (n) => n.number === want || n.number === `1${want}` || `1${n.number}` === want,
  );
  if (!row) throw new NotFoundError(`phone number ${printable(raw)} is not assigned to this PBX`);
  return { id: row.id as number, number: row.number as string };
}

export const NUMBER_COMMANDS: Command[] = [
  {
    name: 'number add',
    usage: 'number add --pbx CTX --number N [--toll-free] [--state XX] [--route-to DEST] [--json]',
    summary: 'assign a phone number to a PBX (it rings nobody until routed: default route is hang up)',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(p, ['pbx', 'number'], ['state', 'route-to'], ['toll-free', 'json']);
      const pbx = await s.pbx.byContext(o.pbx);
      const row = await s.objects.create(SYSTEM, pbx.id, 'numbers', {
        number: o.number,
        tollFree: o.flags.has('toll-free'),
        state: o.state ?? null,
        routeTo: o['route-to'] ?? 'hangup',
      });
      if (o.flags.has('json')) io.out(JSON.stringify(row));
      else io.out(`assigned ${row.number} to ${pbx.context}; its administrators route it in the portal`);
    },
  },
  {
    name: 'number set',
    usage: 'number set --pbx CTX --number N [--toll-free yes|no] [--new-number M] [--json]',
    summary: 'change what only the operator may change of a number: toll-free, or the number itself',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(p, ['pbx', 'number'], ['toll-free', 'new-number'], ['json']);
      const pbx = await s.pbx.byContext(o.pbx);
      const patch: Record<string, unknown> = {};
      if (o['toll-free'] !== undefined) {
        if (!['yes', 'no'].includes(o['toll-free'])) throw new UsageError('--toll-free takes yes or no');
        patch.tollFree = o['toll-free'] === 'yes';
      }
      if (o['new-number'] !== undefined) patch.number = o['new-number'];
      if (!Object.keys(patch).length) throw new UsageError('nothing to change: give --toll-free or --new-number');
      const row = await s.objects.update(SYSTEM, pbx.id, 'numbers', (await assigned(s, pbx.id, o.number)).id, patch);
      if (o.flags.has('json')) io.out(JSON.stringify(row));
      else io.out(`phone number ${row.number} of ${pbx.context} changed`);
    },
  },
  {
    name: 'number remove',
    usage: 'number remove --pbx CTX --number N [--json]',
    summary: 'take a phone number back from a PBX (refused while something routes to it or uses it for E911)',
    async run(p, s, io) {
      if (p.positionals.length) throw new UsageError(`unexpected argument ${printable(p.positionals[0])}`);
      const o = takeOptions(p, ['pbx', 'number'], [], ['json']);
      const pbx = await s.pbx.byContext(o.pbx);
      const { id, number } = await assigned(s, pbx.id, o.number);
      await s.objects.delete(SYSTEM, pbx.id, 'numbers', id);
      if (o.flags.has('json')) io.out(JSON.stringify({ removed: number }));
      else io.out(`removed ${number} from ${pbx.context}`);
    },
  },
];
