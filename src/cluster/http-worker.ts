// An HTTP worker of the cluster: serves the portal, the API, provisioning and FreeSWITCH's lookups on the shared port.
// Rendered phone files come from the background process (adopted into this process's memo); miss-limiter changes and metrics go
// through the primary (see ../cluster/ for what is per process and what is shared).
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { Config } from '../config';
import { EslFreeswitchControl } from '../freeswitch/event-socket';
import { queueAgents } from '../freeswitch/event-socket/callcenter-commands';
import { listRegistrations } from '../freeswitch/event-socket/sofia-commands';
import { DEFAULT_OPTIONS } from '../freeswitch/generator/options';
import type { XmlCurlAnswerer } from '../freeswitch/xml-curl-answer';
import { PhoneApps } from '../phone-apps';
import { MissLimiter } from '../provisioning/miss-limiter';
import { type FreeswitchHttpOptions, freeswitchListener } from '../servers/freeswitch-http';
import { healthzListener } from '../servers/healthz';
import { Metrics } from '../servers/metrics';
import { metricsListener } from '../servers/metrics-listener';
import { phoneAppsListener } from '../servers/phone-apps';
import { createServices } from '../services';
import { AgentStatusService } from '../services/agent-status';
import { buildCallRecordIntake } from '../services/call-record-intake';
import { CdrDeadLetters } from '../services/cdr-dead-letter';
import { GreetingRecorder } from '../services/greeting-recorder';
import { LiveSnapshots } from '../services/live-snapshots';
import { PhoneAppDevices } from '../services/phone-app-devices';
import { recordAttendantByPhone } from '../services/record-by-phone';
import { VoicemailService } from '../services/voicemail';
import { voicemailAudioSource } from '../services/voicemail-audio';
import { ChildLink } from './child';
import type { Message } from './ipc';
import { lazyListener } from './lazy-listener';
import { processLogger, processName } from './process-log';
import { QuietRefresh } from './quiet-refresh';
import { configuredProvisioning, openConfiguredDatabase } from './wiring';

/** Device rows are brought up to date this long after the last batch of rendered files arrived. */
const DEVICE_REFRESH_QUIET_MS = 1000;
/** At start-up, device rows are read once nothing came from the background process for this long. */
const DEVICE_READ_AHEAD_AFTER_MS = 5000;

export async function runHttpWorker(config: Config): Promise<void> {
  const log = processLogger(config);
  const metrics = new Metrics(processName());
  let stopping: Promise<void> | null = null;
  let shutdown: () => Promise<void> = async () => process.exit(0);
  const stop = () => {
    stopping ??= shutdown();
    return stopping;
  };
  const refreshDevices = new QuietRefresh(DEVICE_REFRESH_QUIET_MS, (err) =>
    log('warn', 'provisioning: device rows not read ahead', { err }),
  );
  // Listening for the primary from the first moment: limiter changes sent while this process starts are applied.
  const link = new ChildLink({
    send: (m: Message) => process.send?.(m),
    metrics,
    onStop: () => void stop(),
    onAdopted: () => refreshDevices.schedule(),
  });
  process.on('message', (m) => link.receive(m));
  // The primary went away (crashed, failed to start, or killed without its stop): nobody restarts or coordinates us.
  process.once('disconnect', () => void stop());
  const limiter = link.sharedLimiter(new MissLimiter({ allow: config.provisioningAllow }));

  // Started while the primary migrates: this process loads its code and MikroORM meanwhile, and connects once the
  // primary says the database is ready.
  const orm = await openConfiguredDatabase(config, false, () => link.databaseReady());
  const live = new LiveSnapshots(orm);
  const provisioning = configuredProvisioning(orm, config, log, live, { limiter });
  link.adoptInto(provisioning.files);
  // One event-socket connection per worker for what it asks FreeSWITCH (voicemail, agent status, registrations).
  const freeswitch = new EslFreeswitchControl({ ...config.eventSocket, onListenerError: () => {} });
  const voicemail = new VoicemailService({
    snapshots: live,
    freeswitch,
    audio: voicemailAudioSource(config.freeswitchSftp),
    log,
  });
  const agents = new AgentStatusService(freeswitch, log);
  const services = createServices(
    orm,
    { profileIds: provisioning.profileIds },
    { dataDir: config.dataDir, log, voicemail, agents },
  );

  const generate = {
    ...DEFAULT_OPTIONS,
    audioDir: config.freeswitchAudioDir,
    soundsDir: config.freeswitchSoundsDir,
    alertInfoHost: new URL(config.publicUrl).hostname,
    referenceYear: new Date().getUTCFullYear(),
  };
  const freeswitchOptions: FreeswitchHttpOptions = {
    answerer: lazyAnswerer(live, generate),
    ingest: buildCallRecordIntake(orm, services.objects, config, log),
    deadLetters: new CdrDeadLetters(
      join(config.dataDir, 'cdr-dead-letter'),
      { maxFiles: config.cdr.deadLetterMaxFiles, maxBytes: config.cdr.deadLetterMaxBytes },
      log,
    ),
    username: config.xmlCurl.username,
    password: config.xmlCurl.password,
    allow: config.xmlCurl.allow,
    log: (level, msg, fields) => log(level, msg, fields),
  };
  // The Record button next to a greeting rings the user's phone through the event socket.
  const recorder = new GreetingRecorder(orm, services.browse, freeswitch, {
    where: `${config.eventSocket.host}:${config.eventSocket.port}`,
    log: (msg, fields) => log('warn', msg, fields),
  });
  // TFTP is served by the primary when TFTP_PORT is set; the installer page offers it then.
  const provisioningInfo = { tftpPort: config.tftpPort > 0 ? config.tftpPort : null };
  // The portal (Express, its templates and routes: a fifth of a worker's start) loads right after the worker listens,
  // so phones and FreeSWITCH are answered first after a restart; a portal request in that moment waits for it.
  const portal = lazyListener(
    async () =>
      (await import('../portal/app')).createApp(services, {
        log: (msg, err) => log('error', msg, { err }),
        publicUrl: config.publicUrl,
        devices: provisioning.devices,
        provisioning: provisioningInfo,
        hooks: {
          recordGreeting: (actor, pbxId, mailboxId, greeting) => recorder.ring(actor, pbxId, mailboxId, greeting),
          // Home shows registered phones only while FreeSWITCH answers (it waits at most a moment, then hides the tile).
          registeredPhones: async (domain) => {
            const rows = await listRegistrations(freeswitch);
            return rows.filter((r) => r.realm.toLowerCase() === domain.toLowerCase()).length;
          },
          recordAttendantByPhone: recordAttendantByPhone(freeswitch),
          // Queues show each agent's status live (the queue's name as the generator gives it: <context>_<number>@<domain>).
          queueAgents: async (q) =>
            (await queueAgents(freeswitch, `${q.context}_${q.number.replace(/\D/g, '')}@${q.domain}`)).map((a) => ({
              name: a.name,
              status: a.status,
              state: a.state,
            })),
        },
      }),
    (err) => {
      // A portal that cannot load (a broken template) ends the process, as it did when it loaded before listening.
      log('error', 'the portal did not load', { err });
      process.exit(1);
    },
  );
  // Phone apps: the phone is known by its URL token. Each worker keeps its voicemail lists current from FreeSWITCH's
  // MESSAGE_WAITING events (a failed subscription is retried by the client, so start-up never waits for FreeSWITCH);
  // Yealink idle-screen pushes are sent once per cluster, by the background process.
  const phoneApps = new PhoneApps({
    devices: new PhoneAppDevices(orm, live),
    profiles: provisioning.catalog,
    services: { voicemail, agents },
    baseUrl: provisioning.settings.phoneAppsBaseUrl ?? `${config.publicUrl}/phone-apps`,
    idleRefreshSeconds: provisioning.settings.agentIdleRefreshSeconds,
    log,
  });
  const eventsReady = freeswitch
    .onEvent(['MESSAGE_WAITING'], (event) => voicemail.messageWaiting(event.headers['MWI-Message-Account'] ?? ''))
    .catch((err) => log('warn', 'FreeSWITCH events not subscribed', { err }));
  // Outermost the metrics (every request timed, /metrics answered), then provisioning, the phone apps and
  // FreeSWITCH's lookups in front of Express (see their listeners for why), /healthz, then the portal app.
  const server = createServer(
    metricsListener(
      { metrics, collect: () => link.collectMetrics(), allow: config.metricsAllow },
      provisioning.listener(
        phoneAppsListener(phoneApps, freeswitchListener(freeswitchOptions, healthzListener(orm, portal.listener)), {
          log,
        }),
      ),
    ),
  );
  // Plain GETs of provisioning files are answered on the socket itself, counted as the metrics listener counts.
  const fastPath = provisioning.fastPath(server, {
    observe: (status, seconds) => metrics.observe('provisioning', status, seconds),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  process.send?.({ t: 'ready' } satisfies Message);
  void portal.load();
  // The device rows phones are checked against, read ahead like the files they fetch, once the background process's
  // rendering (which writes phone-app token hashes, moving row versions) goes quiet, or a few seconds after start-up
  // when it sends nothing: not while it pre-renders, which is when TFTP and the first phones share the CPU with it.
  refreshDevices.start(() => provisioning.store.warmDevices(), DEVICE_READ_AHEAD_AFTER_MS);
  // From now on: start-up's module loading would otherwise be the largest delay this process ever reports.
  metrics.sampleLoopDelay();

  shutdown = async () => {
    server.close();
    // Connections between requests close now; one with a request in progress closes when its answer is sent.
    server.closeIdleConnections();
    fastPath.closeIdle();
    await eventsReady;
    await freeswitch.close().catch(() => {});
    await provisioning.store.close().catch((err) => log('warn', 'last-seen flush failed', { err }));
    await orm.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

/**
 * xml_curl's answerer, with the generator it renders with loaded at FreeSWITCH's first lookup (in the background right
 * after start-up) instead of before the worker serves: the generator's modules were a fifth of a worker's start.
 */
function lazyAnswerer(...args: ConstructorParameters<typeof XmlCurlAnswerer>): Pick<XmlCurlAnswerer, 'answer'> {
  let loading: Promise<XmlCurlAnswerer> | null = null;
  const load = () => {
    loading ??= import('../freeswitch/xml-curl-answer').then(({ XmlCurlAnswerer }) => new XmlCurlAnswerer(...args));
    return loading;
  };
  setTimeout(load, 1000).unref();
  return { answer: async (req) => (await load()).answer(req) };
}
