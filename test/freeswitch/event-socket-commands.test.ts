// Typed FreeSWITCH commands: built text equals what the captures were taken with; parsers read the captured bodies.

import { expect } from 'chai';
import {
  agentStatusCommand,
  boxCountCommand,
  checkSyncCommand,
  EslApiError,
  EslArgumentError,
  EslReplyFormatError,
  expectOk,
  markReadCommand,
  messageActionCommand,
  messageCountCommand,
  messageGetCommand,
  messageListCommand,
  originateCommand,
  parseAgentStatus,
  parseAgentTable,
  parseBoxCountAll,
  parseBoxCountNew,
  parseMessageCount,
  parseMessageGet,
  parseMessageList,
  parseOriginate,
  parseRegistrations,
  parseSofiaContact,
  parseUserExists,
  purgeCommand,
  queueAgentsCommand,
  SHOW_REGISTRATIONS_COMMAND,
  setAgentStatusCommand,
  sofiaContactCommand,
  userExistsCommand,
} from '../../src/freeswitch/event-socket/index';
import { eslFixtureBody, eslFixtureTable } from '../fakes/esl-fixtures';

const MAILBOX = { user: '1000', domain: 'acme.pbx.test' };
const MESSAGE_1 = '1ddcd681-6ed6-4cf3-9914-a5dcf4f474b6';
const MESSAGE_2 = 'd7af557f-cc7b-48b9-899a-9063b378dce8';

/** The command the README says produced `file`, without the `api ` prefix. */
function capturedCommand(file: string): string {
  const row = eslFixtureTable().find((r) => r.file === file);
  if (!row?.command?.startsWith('api ')) throw new Error(`no api command recorded for ${file}`);
  return row.command.slice(4);
}

const body = eslFixtureBody;

describe('typed FreeSWITCH commands', () => {
  describe('build exactly the commands the fixtures were captured with', () => {
    const cases: Array<[string, () => string]> = [
      ['esl-api-sofia_contact.txt', () => sofiaContactCommand('1000', 'acme.pbx.test')],
      ['esl-api-sofia_contact-profile.txt', () => sofiaContactCommand('1000', 'acme.pbx.test', 'internal')],
      ['esl-api-sofia_contact-unregistered.txt', () => sofiaContactCommand('1001', 'acme.pbx.test')],
      ['esl-api-sofia_check_sync.txt', () => checkSyncCommand('1000', 'acme.pbx.test')],
      ['esl-api-show_registrations_json.txt', () => SHOW_REGISTRATIONS_COMMAND],
      ['esl-api-vm_boxcount-all.txt', () => boxCountCommand(MAILBOX)],
      ['esl-api-vm_fsdb_msg_list-new.txt', () => messageListCommand(MAILBOX, 'new')],
      ['esl-api-vm_fsdb_msg_list-not-read.txt', () => messageListCommand(MAILBOX, 'not-read')],
      ['esl-api-vm_fsdb_msg_get.txt', () => messageGetCommand(MAILBOX, MESSAGE_1)],
      ['esl-api-vm_fsdb_msg_get-unknown.txt', () => messageGetCommand(MAILBOX, '00000000-0000-0000-0000-000000000000')],
      ['esl-api-vm_fsdb_msg_count.txt', () => messageCountCommand(MAILBOX)],
      ['esl-api-vm_fsdb_msg_save.txt', () => messageActionCommand(MAILBOX, 'save', MESSAGE_1)],
      ['esl-api-vm_fsdb_msg_delete.txt', () => messageActionCommand(MAILBOX, 'delete', MESSAGE_2)],
      ['esl-api-vm_fsdb_msg_purge.txt', () => purgeCommand(MAILBOX)],
      ['esl-api-vm_read.txt', () => markReadCommand(MAILBOX, MESSAGE_1, true)],
      ['esl-api-callcenter_config-agent_get_status.txt', () => agentStatusCommand('agent1@acme.pbx.test')],
      [
        'esl-api-callcenter_config-agent_set_status.txt',
        () => setAgentStatusCommand('agent1@acme.pbx.test', 'Available'),
      ],
      [
        'esl-api-callcenter_config-agent_set_status-break.txt',
        () => setAgentStatusCommand('agent1@acme.pbx.test', 'On Break'),
      ],
      [
        'esl-api-callcenter_config-agent_set_status-bad.txt',
        () => setAgentStatusCommand('nobody@acme.pbx.test', 'Available'),
      ],
      ['esl-api-callcenter_config-queue_list_agents.txt', () => queueAgentsCommand('support@acme.pbx.test')],
      ['esl-api-user_exists-true.txt', () => userExistsCommand('1000', 'acme.pbx.test')],
      ['esl-api-user_exists-false.txt', () => userExistsCommand('1999', 'acme.pbx.test')],
      [
        'esl-api-originate-ok.txt',
        () =>
          originateCommand({
            user: '1000',
            domain: 'acme.pbx.test',
            uuid: '0a0a0a0a-0000-4000-8000-000000001000',
            destination: { application: 'park' },
          }),
      ],
      [
        'esl-api-originate-no_such_user.txt',
        () => originateCommand({ user: '1999', domain: 'acme.pbx.test', destination: { application: 'park' } }),
      ],
    ];
    for (const [file, build] of cases) {
      it(file, () => expect(build()).to.equal(capturedCommand(file)));
    }
  });

  describe('parse the captured replies', () => {
    it('sofia_contact: dial strings, or [] when not registered', () => {
      expect(parseSofiaContact(body('esl-api-sofia_contact.txt'))).to.deep.equal([
        'sofia/internal/sip:1000@127.0.0.1:25070;transport=UDP',
      ]);
      expect(parseSofiaContact(body('esl-api-sofia_contact-profile.txt'))).to.have.length(1);
      expect(parseSofiaContact(body('esl-api-sofia_contact-unregistered.txt'))).to.deep.equal([]);
      expect(parseSofiaContact('sofia/internal/sip:a@h:1,sofia/internal/sip:a@h:2')).to.have.length(2);
      expect(() => parseSofiaContact('error/invalid_domain')).to.throw(EslApiError);
    });

    it('show registrations as json: rows, and the empty form without a rows member', () => {
      const [registration, ...rest] = parseRegistrations(body('esl-api-show_registrations_json.txt'));
      expect(rest).to.deep.equal([]);
      expect(registration).to.deep.equal({
        user: '1000',
        realm: 'acme.pbx.test',
        token: '1-2925@127.0.0.1',
        url: 'sofia/internal/sip:1000@127.0.0.1:25070;transport=UDP',
        expires: 1795631962,
        networkIp: '127.0.0.1',
        networkPort: 25070,
        networkProto: 'udp',
        hostname: 'fs1',
        metadata: '',
      });
      expect(parseRegistrations(body('esl-api-show_registrations_json-empty.txt'))).to.deep.equal([]);
      expect(() => parseRegistrations('{"row_count":2,"rows":[]}')).to.throw(EslReplyFormatError);
    });

    it('vm_boxcount: the |all form new:saved:new-urgent:saved-urgent and the plain new count', () => {
      expect(parseBoxCountAll(body('esl-api-vm_boxcount-all.txt'))).to.deep.equal({
        new: 2,
        saved: 0,
        newUrgent: 0,
        savedUrgent: 0,
      });
      expect(parseBoxCountAll(body('esl-api-vm_boxcount-all-after-save.txt'))).to.deep.equal({
        new: 1,
        saved: 1,
        newUrgent: 0,
        savedUrgent: 0,
      });
      // A mailbox without an extension (directory user vm_300), captured on a Dialtone tree by the e2e suite.
      expect(parseBoxCountAll(body('../dialtone-tree/esl/esl-api-vm_boxcount-mailbox-only-box.txt'))).to.deep.equal({
        new: 1,
        saved: 0,
        newUrgent: 0,
        savedUrgent: 0,
      });
      expect(parseBoxCountNew(body('esl-api-vm_boxcount.txt'))).to.equal(2);
      expect(parseBoxCountNew(body('esl-api-vm_boxcount-empty.txt'))).to.equal(0);
      expect(() => parseBoxCountAll('2')).to.throw(EslReplyFormatError);
    });

    it('vm_fsdb_msg_list json: uuids in order; "all" really means "read"', () => {
      expect(parseMessageList(body('esl-api-vm_fsdb_msg_list-new.txt'))).to.deep.equal([MESSAGE_1, MESSAGE_2]);
      expect(parseMessageList(body('esl-api-vm_fsdb_msg_list-not-read.txt'))).to.deep.equal([MESSAGE_1, MESSAGE_2]);
      expect(parseMessageList(body('esl-api-vm_fsdb_msg_list-all.txt'))).to.deep.equal([]);
      expect(parseMessageList(body('esl-api-vm_fsdb_msg_list-all-after-read.txt'))).to.deep.equal([MESSAGE_1]);
      expect(() => parseMessageList(body('esl-api-vm_fsdb_msg_list-usage.txt'))).to.throw(EslApiError);
      expect(() => messageListCommand(MAILBOX, 'all' as never)).to.throw(EslArgumentError);
    });

    it('vm_fsdb_msg_get json: the message, or null for an unknown uuid', () => {
      expect(parseMessageGet(body('esl-api-vm_fsdb_msg_get.txt'))).to.deep.equal({
        uuid: MESSAGE_1,
        receivedEpoch: 1795631336,
        readEpoch: 0,
        callerName: 'Alice',
        callerNumber: '5551230001',
        folder: 'inbox',
        filePath: `/var/lib/freeswitch/storage/voicemail/default/acme.pbx.test/1000/msg_${MESSAGE_1}_broadcast_vm-test-message.wav`,
        durationSeconds: 4,
        readFlags: 'B_NORMAL',
      });
      expect(parseMessageGet(body('esl-api-vm_fsdb_msg_get-unknown.txt'))).to.equal(null);
      expect(() => parseMessageGet(body('esl-api-vm_fsdb_msg_get-usage.txt'))).to.throw(EslApiError);
    });

    it('vm_fsdb_msg_count json: the four counters', () => {
      expect(parseMessageCount(body('esl-api-vm_fsdb_msg_count.txt'))).to.deep.equal({
        new: 2,
        saved: 0,
        newUrgent: 0,
        savedUrgent: 0,
      });
      const after = parseMessageCount(body('esl-api-vm_fsdb_msg_count-after-save.txt'));
      expect(after.new + after.saved).to.equal(2);
      expect(() => parseMessageCount(body('esl-api-vm_fsdb_msg_count-usage.txt'))).to.throw(EslApiError);
    });

    it('voicemail changes: -OK (sic) and +OK are success, usage text is not', () => {
      for (const file of [
        'esl-api-vm_fsdb_msg_save.txt',
        'esl-api-vm_fsdb_msg_delete.txt',
        'esl-api-vm_fsdb_msg_purge.txt',
        'esl-api-vm_read.txt',
        'esl-api-vm_delete.txt',
      ]) {
        expect(() => expectOk(file, body(file)), file).not.to.throw();
      }
      for (const file of ['esl-api-vm_read-usage.txt', 'esl-api-vm_delete-usage.txt', 'esl-api-vm_list-empty.txt']) {
        expect(() => expectOk(file, body(file)), file).to.throw(EslApiError);
      }
    });

    it('callcenter agent status: bare words without a newline, including "On Break"', () => {
      expect(parseAgentStatus(body('esl-api-callcenter_config-agent_get_status.txt'))).to.equal('Available');
      expect(parseAgentStatus(body('esl-api-callcenter_config-agent_get_status-break.txt'))).to.equal('On Break');
      expect(() => parseAgentStatus('-ERR Agent not found!\n')).to.throw(EslApiError);
      expect(() => parseAgentStatus('Sleeping')).to.throw(EslReplyFormatError);
    });

    it('callcenter agent set status: +OK, or EslApiError for an unknown agent', () => {
      expect(() => expectOk('set', body('esl-api-callcenter_config-agent_set_status.txt'))).not.to.throw();
      expect(() => expectOk('set', body('esl-api-callcenter_config-agent_set_status-bad.txt'))).to.throw(
        EslApiError,
        'Agent not found',
      );
    });

    it('callcenter queue list agents / agent list: typed rows', () => {
      const [agent, ...rest] = parseAgentTable(body('esl-api-callcenter_config-queue_list_agents.txt'));
      expect(rest).to.deep.equal([]);
      expect(agent).to.deep.include({
        name: 'agent1@acme.pbx.test',
        instanceId: 'single_box',
        uuid: '',
        type: 'callback',
        contact: '[leg_timeout=10]user/1001@acme.pbx.test',
        status: 'Available',
        state: 'Waiting',
        maxNoAnswer: 3,
        wrapUpTime: 10,
        lastStatusChange: 1795631372,
        callsAnswered: 0,
      });
      expect(parseAgentTable(body('esl-api-callcenter_config-agent_list-before.txt'))[0]!.status).to.equal(
        'Logged Out',
      );
      expect(parseAgentTable(body('esl-api-callcenter_config-queue_list_members.txt'))).to.deep.equal([]);
      expect(() => parseAgentTable('name|status\nx|y\n+OK\n')).to.throw(EslReplyFormatError);
    });

    it('user_exists: true / false without a newline', () => {
      expect(parseUserExists(body('esl-api-user_exists-true.txt'))).to.equal(true);
      expect(parseUserExists(body('esl-api-user_exists-false.txt'))).to.equal(false);
      expect(() => parseUserExists('-ERR no reply\n')).to.throw(EslReplyFormatError);
    });

    it('originate: +OK uuid, -ERR cause, usage is an error', () => {
      expect(parseOriginate(body('esl-api-originate-ok.txt'))).to.deep.equal({
        ok: true,
        uuid: '0a0a0a0a-0000-4000-8000-000000001000',
      });
      expect(parseOriginate(body('esl-api-originate-user_not_registered.txt'))).to.deep.equal({
        ok: false,
        cause: 'USER_NOT_REGISTERED',
      });
      expect(parseOriginate(body('esl-api-originate-no_such_user.txt'))).to.deep.equal({
        ok: false,
        cause: 'SUBSCRIBER_ABSENT',
      });
      expect(() => parseOriginate(body('esl-api-originate-usage.txt'))).to.throw(EslApiError);
    });

    it('reloadxml and check_sync: +OK', () => {
      expect(expectOk('reloadxml', body('esl-api-reloadxml.txt'))).to.equal('[Success]');
      expect(expectOk('check_sync', body('esl-api-sofia_check_sync.txt'))).to.equal(
        'syncing all registrations matching specified call_id',
      );
      expect(() => expectOk('x', body('esl-api-unknown-command.txt'))).to.throw(EslApiError);
    });
  });
});
