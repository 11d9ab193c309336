// Synthetic vm_list replies in FreeSWITCH 1.10.12's exact plain format, for mailboxes bigger than any capture
// (paging tests, the 500-message bench). The line layout is taken from a real reply, not retyped.
import { randomUUID } from 'node:crypto';
import { fixtureBodyText } from './fake-esl-server';

// created:read:user:domain:folder:path:uuid:cid_name:cid_number:seconds (esl-api-vm_list-deposit.txt, line 1)
const TEMPLATE = fixtureBodyText('esl-api-vm_list-deposit.txt').split('\n')[0]!;
const FIELDS = /^(\d+):(\d+):([^:]+):([^:]+):([^:]+):(.*\/)msg_[^/]+\.wav:([0-9a-f-]{36}):(.*):([^:]*):(\d+)$/.exec(
  TEMPLATE,
);
if (!FIELDS) throw new Error('vm-list-fixture: the captured line no longer has the expected shape');

export interface SyntheticMessage {
  readonly uuid: string;
  readonly createdEpoch: number;
  readonly readEpoch: number;
  readonly callerName: string;
  readonly callerNumber: string;
  readonly seconds: number;
}

/** `count` messages, newest last (as vm_list lists them), caller names by `name(i)`, every third one heard. */
export function syntheticMessages(
  count: number,
  name: (i: number) => string = (i) => `Caller ${i}`,
): SyntheticMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    uuid: randomUUID(),
    createdEpoch: 1796470000 + i * 60,
    readEpoch: i % 3 === 2 ? 1796470000 + i * 60 + 30 : 0,
    callerName: name(i),
    callerNumber: `555${String(1230000 + i)}`,
    seconds: 5 + (i % 50),
  }));
}

/** The api/response body of `vm_list <user>@<domain>` listing `messages` under `storageDir`. */
export function vmListBody(
  user: string,
  domain: string,
  messages: readonly SyntheticMessage[],
  storageDir?: string,
): string {
  const dir = storageDir
    ? `${storageDir}/voicemail/default/${domain}/${user}/`
    : FIELDS![6]!.replace(/[^/]+\/[^/]+\/$/, `${domain}/${user}/`);
  if (messages.length === 0) return '-ERR no reply\n';
  return `${messages
    .map((m) =>
      [
        m.createdEpoch,
        m.readEpoch,
        user,
        domain,
        'inbox',
        `${dir}msg_${m.uuid}.wav`,
        m.uuid,
        m.callerName,
        m.callerNumber,
        m.seconds,
      ].join(':'),
    )
    .join('\n')}\n`;
}
