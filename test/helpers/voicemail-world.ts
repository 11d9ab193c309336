// The portal world (world.ts) plus FreeSWITCH's voicemail: a fake event socket (real 1.10.12 reply formats) whose
// mailboxes change as vm_read / vm_delete arrive, and message WAVs on disk where vm_list says they are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localAudioFileSource } from '../../src/freeswitch/audio-file-source';
import { EslFreeswitchControl } from '../../src/freeswitch/event-socket';
import { createServices } from '../../src/services';
import { LiveSnapshots } from '../../src/services/live-snapshots';
import { VoicemailService } from '../../src/services/voicemail';
import { FakeEslServer } from '../fakes/fake-esl-server';
import { type SyntheticMessage, vmListBody } from '../fakes/vm-list-fixture';
import { portalWorld } from '../portal/world';
import { wav } from './audio-files';
import type { Engine } from './databases';
import type { TestWorld } from './services';

export interface VoicemailWorld extends TestWorld {
  world: Awaited<ReturnType<typeof portalWorld>>;
  esl: FakeEslServer;
  storage: string;
  /** Puts these messages (newest last) in `user@domain`'s mailbox, WAVs included. */
  setMessages(user: string, domain: string, messages: SyntheticMessage[]): void;
  messagesOf(user: string, domain: string): SyntheticMessage[];
  /** The WAV bytes of a message. */
  audioOf(uuid: string): Buffer;
}

export async function openVoicemailWorld(engine: Engine): Promise<VoicemailWorld> {
  const orm = await engine.open();
  const esl = await FakeEslServer.start();
  const storage = mkdtempSync(join(tmpdir(), 'dialtone-vm-portal-'));
  const control = new EslFreeswitchControl({ host: esl.host, port: esl.port, password: 'ClueCon', reconnect: false });
  const voicemail = new VoicemailService({
    snapshots: new LiveSnapshots(orm),
    freeswitch: control,
    audio: localAudioFileSource(),
    listTtlMs: 0,
  });
  const services = createServices(orm, { profileIds: new Set(['yealink-t54w', 'polycom-vvx450']) }, { voicemail });
  const boxes = new Map<string, SyntheticMessage[]>();
  const audio = new Map<string, Buffer>();
  const publish = (key: string) => {
    const [user, domain] = key.split('@') as [string, string];
    const list = boxes.get(key) ?? [];
    esl.setApiReply(`vm_list ${key}`, { body: vmListBody(user, domain, list, storage) });
    for (const m of list) {
      for (const mode of ['read', 'unread'])
        esl.setApiReply(`vm_read ${key} ${mode} ${m.uuid}`, { fixture: 'esl-api-vm_read.txt' });
      esl.setApiReply(`vm_delete ${key} ${m.uuid}`, { fixture: 'esl-api-vm_delete-demo.txt' });
    }
  };
  // FreeSWITCH's side of vm_read / vm_delete: the mailbox changes, and so does the next vm_list.
  esl.onCommand = (c) => {
    const m = /^api vm_(read|delete) (\S+@\S+) (?:(read|unread) )?([0-9a-f-]{36})$/.exec(c.command);
    if (!m) return;
    const key = m[2]!;
    const list = boxes.get(key) ?? [];
    if (m[1] === 'delete')
      boxes.set(
        key,
        list.filter((x) => x.uuid !== m[4]),
      );
    else
      boxes.set(
        key,
        list.map((x) => (x.uuid === m[4] ? { ...x, readEpoch: m[3] === 'read' ? 1796480000 : 0 } : x)),
      );
    publish(key);
  };
  const w: TestWorld = { orm, services, close: async () => {} };
  const world = await portalWorld(w);
  for (const d of ['acme.pbx.local', 'other.pbx.local'])
    for (const u of ['201', '202']) esl.setApiReply(`vm_list ${u}@${d}`, { body: '-ERR no reply\n' });
  return {
    orm,
    services,
    world,
    esl,
    storage,
    setMessages(user, domain, messages) {
      const dir = join(storage, 'voicemail', 'default', domain, user);
      mkdirSync(dir, { recursive: true });
      for (const [i, m] of messages.entries()) {
        const bytes = wav({ seconds: 0.5 + (i % 3) * 0.25, rate: 8000 });
        audio.set(m.uuid, bytes);
        writeFileSync(join(dir, `msg_${m.uuid}.wav`), bytes);
      }
      boxes.set(`${user}@${domain}`, [...messages]);
      publish(`${user}@${domain}`);
      voicemail.messageWaiting(`${user}@${domain}`); // what FreeSWITCH's MESSAGE_WAITING event does
    },
    messagesOf: (user, domain) => boxes.get(`${user}@${domain}`) ?? [],
    audioOf: (uuid) => audio.get(uuid) ?? Buffer.alloc(0),
    async close() {
      await control.close();
      await esl.close();
      await orm.close(true);
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
