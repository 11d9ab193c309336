// voicemail-retention as npm start schedules it (buildJobs with the voicemail service) over the fake event socket:
// each mailbox loses the messages older than its own "Delete Voicemail" days (vm_delete, new and saved alike), the
// others stay, the run is recorded in job_run and shown by `dialtone jobs list`; FreeSWITCH down fails the run.
import { expect } from 'chai';
import { runCli } from '../../src/cli/main';
import { loadConfig } from '../../src/config';
import { buildJobs } from '../../src/jobs';
import { JobRunner } from '../../src/jobs/runner';
import { SYSTEM } from '../../src/services/actor';
import type { SyntheticMessage } from '../fakes/vm-list-fixture';
import { ENGINES } from '../helpers/databases';
import { openVoicemailWorld, type VoicemailWorld } from '../helpers/voicemail-world';

const ACME = 'acme.pbx.local';
const DAY = 86_400;

describe('voicemail retention job', function () {
  this.timeout(60_000);
  let w: VoicemailWorld;
  before(async () => {
    w = await openVoicemailWorld(ENGINES[0]);
  });
  after(() => w?.close());

  const msg = (uuid: string, daysAgo: number, heard = false): SyntheticMessage => {
    const created = Math.floor(Date.now() / 1000) - Math.round(daysAgo * DAY);
    return {
      uuid,
      createdEpoch: created,
      readEpoch: heard ? created + 60 : 0,
      callerName: `Caller ${daysAgo}`,
      callerNumber: '3125550100',
      seconds: 7,
    };
  };
  const jobs = () =>
    buildJobs({
      orm: w.orm,
      config: loadConfig({ SEED_DEMO: 'false' }),
      ingest: async () => true,
      log: () => {},
      voicemail: w.services.voicemail,
    });

  it('is scheduled only with the voicemail service, daily', () => {
    expect(jobs().map((j) => j.name)).to.include('voicemail-retention');
    const without = buildJobs({ orm: w.orm, config: loadConfig({}), ingest: async () => true, log: () => {} });
    expect(without.map((j) => j.name)).to.not.include('voicemail-retention');
  });

  it('deletes what is older than each mailbox setting through vm_delete, records the run, jobs list shows it', async () => {
    const { acme, other } = w.world;
    await w.services.objects.update(SYSTEM, acme.pbx.id, 'mailboxes', acme.ext['201'].mailboxId, {
      retentionDays: 14,
    });
    const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    w.setMessages('201', ACME, [msg(u(1), 30, true), msg(u(2), 15), msg(u(3), 13), msg(u(4), 0.5)]);
    w.setMessages('202', ACME, [msg(u(5), 200), msg(u(6), 179, true)]);
    w.setMessages('201', 'other.pbx.local', [msg(u(7), 181)]);

    const runner = new JobRunner({ orm: w.orm, log: () => {}, jobs: jobs(), node: 'node-vm' });
    const job = runner.jobs.find((j) => j.name === 'voicemail-retention')!;
    expect(await runner.runSlot(job, new Date('2026-12-05T03:37:00Z'))).to.equal('ok');

    expect(w.messagesOf('201', ACME).map((m) => m.uuid)).to.deep.equal([u(3), u(4)]);
    expect(w.messagesOf('202', ACME).map((m) => m.uuid)).to.deep.equal([u(6)]);
    expect(w.messagesOf('201', 'other.pbx.local')).to.deep.equal([]);
    expect(w.esl.commandTexts().filter((c) => c.startsWith('api vm_delete'))).to.have.members([
      `api vm_delete 201@${ACME} ${u(1)}`,
      `api vm_delete 201@${ACME} ${u(2)}`,
      `api vm_delete 202@${ACME} ${u(5)}`,
      `api vm_delete 201@other.pbx.local ${u(7)}`,
    ]);
    expect(other.pbx.id).to.be.a('number');

    const out: string[] = [];
    const code = await runCli(
      ['jobs', 'list', '--job', 'voicemail-retention', '--json'],
      { out: (t) => out.push(t), err: () => {} },
      async () => w.services,
    );
    expect(code).to.equal(0);
    const [run] = JSON.parse(out.join('\n'));
    expect(run).to.include({ job: 'voicemail-retention', status: 'ok', node: 'node-vm' });
    expect(run.summary).to.deep.equal({ mailboxes: 4, deleted: 4 });
  });

  it('FreeSWITCH not answering fails the run with the reason, and deletes nothing', async () => {
    const u = '00000000-0000-4000-8000-00000000000a';
    w.setMessages('202', ACME, [msg(u, 400)]);
    w.esl.admission = 'close';
    w.esl.dropConnections();
    try {
      const runner = new JobRunner({ orm: w.orm, log: () => {}, jobs: jobs(), node: 'node-vm' });
      const job = runner.jobs.find((j) => j.name === 'voicemail-retention')!;
      expect(await runner.runSlot(job, new Date('2026-12-06T03:37:00Z'))).to.equal('failed');
    } finally {
      w.esl.admission = 'accept';
    }
    expect(w.messagesOf('202', ACME).map((m) => m.uuid)).to.deep.equal([u]);
    const out: string[] = [];
    await runCli(
      ['jobs', 'list', '--job', 'voicemail-retention'],
      { out: (t) => out.push(t), err: () => {} },
      async () => w.services,
    );
    expect(out[1]).to.match(/^voicemail-retention\tfailed\t.*mailboxes not purged/);
  });
});
