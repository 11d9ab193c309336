// The cluster's background process, at the lowest CPU priority: renders every phone's files at start-up and again after
// a PBX change (once the PBX is quiet) and sends them to the HTTP workers through the primary; fingerprints phone
// configs after changes and queues their check-sync over the event socket. Serving processes never do this bulk work,
// so a boot storm, /healthz and TFTP keep their pace while 20,000 files render; a phone that asks before its file
// arrived is rendered for by the worker that answers it, as before. Work that must run once per cluster, not once per
// worker (scheduled jobs, re-sync), runs here.
import { setPriority } from 'node:os';
import type { Config } from '../config';
import { EslFreeswitchControl, leftMessage, VOICEMAIL_EVENTS } from '../freeswitch/event-socket';
import { buildJobs } from '../jobs';
import { JobRunner } from '../jobs/runner';
import { AgentStatusPush } from '../phone-apps/agent-push';
import type { CachedProvisioningFiles, SharedMemoEntry } from '../provisioning/cached-provisioning-files';
import { phoneConfigFingerprint } from '../provisioning/fingerprint';
import { PrerenderAfterChanges } from '../provisioning/prerender-after-changes';
import { ResyncQueue } from '../provisioning/resync-queue';
import { Metrics } from '../servers/metrics';
import { createServices } from '../services';
import { AgentStatusService } from '../services/agent-status';
import { buildCallRecordIntake } from '../services/call-record-intake';
import { LiveSnapshots } from '../services/live-snapshots';
import { smtpSender } from '../services/mail';
import { ResyncWatcher } from '../services/resync-watcher';
import { VoicemailService } from '../services/voicemail';
import { voicemailAudioSource } from '../services/voicemail-audio';
import { VoicemailNotifier } from '../services/voicemail-notify';
import { ChildLink } from './child';
import type { Message } from './ipc';
import { processLogger, processName } from './process-log';
import { configuredProvisioning, openConfiguredDatabase } from './wiring';

/** Files per message: about 1 MB of a typical mix. */
const BATCH = 256;
/** A batch not yet full goes out after this long. */
const FLUSH_MS = 50;

export async function runBackground(config: Config): Promise<void> {
  const log = processLogger(config);
  try {
    // The lowest priority: the scheduler gives serving processes (and the load of a boot storm) the CPU first.
    setPriority(19);
  } catch (err) {
    log('warn', 'background: could not lower its priority', { err });
  }
  const metrics = new Metrics(processName());
  const send = (m: Message) => process.send?.(m);
  let batch: SharedMemoEntry[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch.length === 0) return;
    send({ t: 'memo', entries: batch });
    metrics.add('dialtone_prerendered_files_sent_total', batch.length);
    batch = [];
  };
  const onMemo = (entry: SharedMemoEntry) => {
    batch.push(entry);
    if (batch.length >= BATCH) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };

  const warming = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let close: () => Promise<void> = async () => {};
  let files: CachedProvisioningFiles | null = null;
  const stop = async () => {
    warming.abort();
    for (const t of timers) clearInterval(t);
    flush();
    await close();
    process.exit(0);
  };
  const link = new ChildLink({
    send,
    metrics,
    onStop: () => void stop(),
    onReplay: (to) => {
      // The whole memo to a worker that just started, in batches (they are adopted as they come). Before the memo
      // exists there is nothing to send: what is rendered later goes to every ready worker anyway.
      if (!files) return;
      let part: SharedMemoEntry[] = [];
      for (const e of files.entries()) {
        part.push(e);
        if (part.length >= BATCH) {
          send({ t: 'memo', entries: part, to });
          part = [];
        }
      }
      if (part.length) send({ t: 'memo', entries: part, to });
    },
  });
  process.on('message', (m) => link.receive(m));
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('disconnect', () => void stop());

  const orm = await openConfiguredDatabase(config, false);
  const live = new LiveSnapshots(orm);
  const provisioning = configuredProvisioning(orm, config, log, live, { onMemo });
  files = provisioning.files;
  metrics.sampleLoopDelay();

  // Re-sync: changes that alter a phone's configuration queue a staggered check-sync for exactly those phones.
  const freeswitch = new EslFreeswitchControl({ ...config.eventSocket, onListenerError: () => {} });
  const resync = new ResyncQueue({
    send: (t) => freeswitch.checkSync(t.user, t.domain),
    log: (msg, fields) => log('warn', msg, fields),
  });
  const watcher = new ResyncWatcher(live, phoneConfigFingerprint(provisioning.catalog, provisioning.settings), resync);
  timers.push(
    setInterval(() => {
      watcher.check().catch((err) => log('warn', 're-sync check failed', { err }));
    }, 5000),
  );
  // FreeSWITCH's voicemail for the retention job, and the notifications of new messages (SMTP_URL): once per node,
  // here, so each new message is mailed once by this node.
  const voicemailAudio = voicemailAudioSource(config.freeswitchSftp);
  const voicemail = new VoicemailService({ snapshots: live, freeswitch, audio: voicemailAudio, log });
  const notifier = config.smtp.url
    ? new VoicemailNotifier({
        snapshots: live,
        audio: voicemailAudio,
        mail: smtpSender(config.smtp.url),
        freeswitch,
        from: config.smtp.from ?? undefined,
        publicUrl: config.publicUrl,
        log,
      })
    : null;
  const notifying = notifier
    ? freeswitch
        .onEvent(VOICEMAIL_EVENTS, (event) => {
          const left = leftMessage(event);
          if (left) notifier.messageLeft(left);
        })
        .catch((err) => log('warn', 'FreeSWITCH voicemail events not subscribed', { err }))
    : null;
  // Scheduled jobs (retention, CDR import): scheduled once per cluster, here; each run happens on one node
  // (see jobs/runner.ts). The CDR import stores calls through the same intake as FreeSWITCH's posts.
  let jobs: JobRunner | null = null;
  if (config.jobsEnabled) {
    const services = createServices(orm, { profileIds: provisioning.profileIds }, { dataDir: config.dataDir, log });
    const ingest = buildCallRecordIntake(orm, services.objects, config, log);
    jobs = new JobRunner({ orm, log, jobs: buildJobs({ orm, config, ingest, log, voicemail }) });
    jobs.start();
    log('info', 'jobs scheduled', { jobs: jobs.jobs.map((j) => `${j.name} (${j.schedule} UTC)`) });
  }
  // Yealink idle screens follow agents' status: one NOTIFY per change, so this runs once per cluster, here.
  const agentPush = new AgentStatusPush({
    agents: new AgentStatusService(freeswitch, log),
    snapshots: live,
    profiles: provisioning.catalog,
    log,
  })
    .start()
    .catch((err) => log('warn', 'FreeSWITCH events not subscribed', { err }));
  close = async () => {
    await jobs?.stop();
    await notifying;
    await notifier?.stop();
    await agentPush;
    resync.stop();
    await freeswitch.close().catch(() => {});
    await orm.close();
  };

  const started = performance.now();
  const rerender = new PrerenderAfterChanges({
    revisions: () => live.rowsNow(),
    warm: (pbxId, signal) => provisioning.files.warm(pbxId, { signal }),
    log: (level, msg, fields) => log(level, msg, fields),
  });
  try {
    const before = await live.rowsNow();
    const files = await provisioning.warmAll(warming.signal);
    flush();
    log('info', 'provisioning: phone files pre-rendered', { files, ms: Math.round(performance.now() - started) });
    rerender.markWarmed(before);
  } catch (err) {
    log('warn', 'provisioning: pre-rendering stopped', { err });
  }
  if (warming.signal.aborted) return;
  timers.push(
    setInterval(() => {
      rerender
        .tick(warming.signal)
        .then(flush)
        .catch((err) => log('warn', 'provisioning: re-rendering failed', { err }));
    }, 5000),
  );
}
