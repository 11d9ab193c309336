// `dialtone api-token create / list / revoke`: API tokens of a PBX's users, as the operator. The token prints once.
import { NotFoundError } from '../domain/errors';
import { PortalUserSchema } from '../domain/model';
import type { Services } from '../services';
import { SYSTEM } from '../services/actor';
import type { PublicApiToken } from '../services/api-tokens';
import { takeOptions, UsageError } from './args';
import type { Command } from './commands';

async function userOf(s: Services, pbxId: number, context: string, username: string) {
  const user = await s.orm.em.fork().findOne(PortalUserSchema, { username: username.trim().toLowerCase(), pbxId });
  if (!user) throw new NotFoundError(`user ${username} does not exist in ${context}`);
  return user;
}

const when = (d: Date | null) => (d ? new Date(d).toISOString() : '');
const jsonToken = (t: PublicApiToken) => ({
  ...t,
  createdAt: when(t.createdAt),
  lastUsedAt: t.lastUsedAt ? when(t.lastUsedAt) : null,
  revokedAt: t.revokedAt ? when(t.revokedAt) : null,
});

function noPositionals(positionals: string[]): void {
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
}

export const API_TOKEN_COMMANDS: Command[] = [
  {
    name: 'api-token create',
    usage: 'api-token create --pbx CTX --username U [--name NAME] [--json]',
    summary: 'create an API token acting as that user; prints the token once (only its hash is stored)',
    async run(p, s, io) {
      noPositionals(p.positionals);
      const o = takeOptions(p, ['pbx', 'username'], ['name'], ['json']);
      const pbx = await s.pbx.byContext(o.pbx);
      const user = await userOf(s, pbx.id, pbx.context, o.username);
      const { token, secret } = await s.apiTokens.create(SYSTEM, pbx.id, user.id, { name: o.name });
      if (o.flags.has('json')) {
        io.out(JSON.stringify({ ...jsonToken(token), token: secret }));
        return;
      }
      io.out(`created API token #${token.id} "${token.name}" for ${user.username} in ${pbx.context}`);
      io.out(`token: ${secret}`);
      io.out('(shown only now: use it as "Authorization: Bearer <token>"; revoke with dialtone api-token revoke)');
    },
  },
  {
    name: 'api-token list',
    usage: 'api-token list --pbx CTX [--username U] [--json]',
    summary: 'list the API tokens of a PBX (or of one user): name, start of the token, last use, revoked',
    async run(p, s, io) {
      noPositionals(p.positionals);
      const o = takeOptions(p, ['pbx'], ['username'], ['json']);
      const pbx = await s.pbx.byContext(o.pbx);
      const userId = o.username ? (await userOf(s, pbx.id, pbx.context, o.username)).id : undefined;
      const tokens = await s.apiTokens.list(SYSTEM, pbx.id, { userId });
      if (o.flags.has('json')) {
        io.out(JSON.stringify(tokens.map(jsonToken), null, 2));
        return;
      }
      if (!tokens.length) {
        io.out('(none)');
        return;
      }
      io.out(['id', 'user', 'name', 'token', 'created', 'last used', 'revoked'].join('\t'));
      for (const t of tokens)
        io.out(
          [t.id, t.username, t.name, `${t.hint}…`, when(t.createdAt), when(t.lastUsedAt), when(t.revokedAt)].join('\t'),
        );
    },
  },
  {
    name: 'api-token revoke',
    usage: 'api-token revoke --pbx CTX --id N [--json]',
    summary: 'revoke an API token at once (it answers 401 from the next request on)',
    async run(p, s, io) {
      noPositionals(p.positionals);
      const o = takeOptions(p, ['pbx', 'id'], [], ['json']);
      if (!/^\d{1,15}$/.test(o.id)) throw new UsageError('--id must be the number of the token (see api-token list)');
      const pbx = await s.pbx.byContext(o.pbx);
      const token = await s.apiTokens.revoke(SYSTEM, pbx.id, Number(o.id));
      if (o.flags.has('json')) io.out(JSON.stringify(jsonToken(token)));
      else io.out(`revoked API token #${token.id} "${token.name}" of ${token.username}`);
    },
  },
];
