// Typed commands refuse hostile arguments: nothing user-typed can add a command, an argument or an expansion.

import { expect } from 'chai';
import {
  AGENT_STATUSES,
  agentStatusCommand,
  boxCountCommand,
  checkSyncCommand,
  EslArgumentError,
  markReadCommand,
  messageActionCommand,
  messageCountCommand,
  messageGetCommand,
  messageListCommand,
  originateCommand,
  queueAgentsCommand,
  setAgentStatusCommand,
  sofiaContactCommand,
  userExistsCommand,
} from '../../src/freeswitch/event-socket/index';

const MAILBOX = { user: '1000', domain: 'acme.pbx.test' };
const MESSAGE_1 = '1ddcd681-6ed6-4cf3-9914-a5dcf4f474b6';

describe('typed FreeSWITCH commands refuse hostile arguments', () => {
  const hostileUsers = [
    '1000 reloadxml',
    '1000|all',
    '1000\n\napi reloadxml',
    '1000\r',
    '${system(rm -rf /)}',
    '../1000',
    '1000@evil.test',
    '1000/internal',
    "1000'",
    '1000,1001',
    'ünïcödé',
    '',
    ' ',
    'a'.repeat(65),
    '-1000',
  ];
  const hostileDomains = [
    'acme.pbx.test reloadxml',
    'acme.pbx.test|all',
    'acme..test',
    '',
    'a_b.test',
    '../x',
    'x'.repeat(254),
  ];
  const hostileUuids = [
    'not-a-uuid',
    `${MESSAGE_1} reloadxml`,
    `${MESSAGE_1}\n`,
    '',
    "1ddcd681-6ed6-4cf3-9914-a5dcf4f474b'",
  ];

  const builders: Array<[string, (user: string, domain: string, uuid: string) => string]> = [
    ['sofia_contact', (u, d) => sofiaContactCommand(u, d)],
    ['check_sync', (u, d) => checkSyncCommand(u, d)],
    ['vm_boxcount', (u, d) => boxCountCommand({ user: u, domain: d })],
    ['vm_fsdb_msg_list', (u, d) => messageListCommand({ user: u, domain: d }, 'new')],
    ['vm_fsdb_msg_get', (u, d, id) => messageGetCommand({ user: u, domain: d }, id)],
    ['vm_fsdb_msg_count', (u, d) => messageCountCommand({ user: u, domain: d })],
    ['vm_fsdb_msg_save', (u, d, id) => messageActionCommand({ user: u, domain: d }, 'save', id)],
    ['vm_read', (u, d, id) => markReadCommand({ user: u, domain: d }, id, true)],
    ['user_exists', (u, d) => userExistsCommand(u, d)],
    ['agent get status', (u, d) => agentStatusCommand(`${u}@${d}`)],
    ['agent set status', (u, d) => setAgentStatusCommand(`${u}@${d}`, 'Available')],
    ['queue list agents', (u, d) => queueAgentsCommand(`${u}@${d}`)],
    [
      'originate',
      (u, d, id) => originateCommand({ user: u, domain: d, uuid: id, destination: { application: 'park' } }),
    ],
  ];

  for (const [name, build] of builders) {
    it(`${name}: refuses every hostile user, domain and uuid`, () => {
      expect(() => build('1000', 'acme.pbx.test', MESSAGE_1)).not.to.throw();
      for (const user of hostileUsers) {
        expect(() => build(user, 'acme.pbx.test', MESSAGE_1), `user ${JSON.stringify(user)}`).to.throw(
          EslArgumentError,
        );
      }
      for (const domain of hostileDomains) {
        expect(() => build('1000', domain, MESSAGE_1), `domain ${JSON.stringify(domain)}`).to.throw(EslArgumentError);
      }
      if (/msg_get|msg_save|vm_read|originate/.test(name)) {
        for (const id of hostileUuids) {
          expect(() => build('1000', 'acme.pbx.test', id), `uuid ${JSON.stringify(id)}`).to.throw(EslArgumentError);
        }
      }
    });
  }

  it('profiles, statuses, filters and actions come from fixed vocabularies', () => {
    expect(() => sofiaContactCommand('1000', 'acme.pbx.test', 'internal reloadxml')).to.throw(EslArgumentError);
    expect(() => checkSyncCommand('1000', 'acme.pbx.test', 'internal\napi')).to.throw(EslArgumentError);
    expect(() => boxCountCommand({ ...MAILBOX, profile: 'default/x' })).to.throw(EslArgumentError);
    expect(() => setAgentStatusCommand('agent1@acme.pbx.test', "On Break' reloadxml '" as never)).to.throw(
      EslArgumentError,
    );
    expect(() => setAgentStatusCommand('agent1@acme.pbx.test', 'on break' as never)).to.throw(EslArgumentError);
    expect(() => messageActionCommand(MAILBOX, 'purge' as never, MESSAGE_1)).to.throw(EslArgumentError);
    for (const status of AGENT_STATUSES) {
      const command = setAgentStatusCommand('agent1@acme.pbx.test', status);
      expect(command.endsWith(status.includes(' ') ? `'${status}'` : ` ${status}`)).to.equal(true);
    }
  });

  it('originate variables and destinations are single tokens', () => {
    const base = { user: '1000', domain: 'acme.pbx.test' } as const;
    const bad: Array<Parameters<typeof originateCommand>[0]> = [
      { ...base, destination: { application: 'park', args: 'a b' } },
      { ...base, destination: { application: 'park);reloadxml(' } },
      { ...base, destination: { application: 'park' }, variables: { x: 'a,b=c' } },
      { ...base, destination: { application: 'park' }, variables: { x: '${system(id)}' } },
      { ...base, destination: { application: 'park' }, variables: { x: 'a}b' } },
      { ...base, destination: { application: 'park' }, variables: { 'x}': 'a' } },
      { ...base, destination: { application: 'park' }, variables: { x: "it's" } },
      { ...base, destination: { application: 'park' }, timeoutSeconds: 0 },
      { ...base, destination: { extension: '*98 XML public', context: 'default' } },
      { ...base, destination: { extension: '*98', context: 'default public' } },
    ];
    for (const request of bad) {
      expect(() => originateCommand(request), JSON.stringify(request)).to.throw(EslArgumentError);
    }
    expect(
      originateCommand({
        ...base,
        timeoutSeconds: 30,
        variables: { dialtone_purpose: 'record-greeting' },
        destination: { extension: '*3231000', context: 'acme.pbx.test' },
      }),
    ).to.equal(
      'originate {originate_timeout=30,dialtone_purpose=record-greeting}user/1000@acme.pbx.test *3231000 XML acme.pbx.test',
    );
  });
});
