// The only file with side effects: config -> database -> services -> HTTP (portal, provisioning, xml_curl) and TFTP.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db';
import { EslFreeswitchControl, leftMessage, VOICEMAIL_EVENTS } from './freeswitch/event-socket';
import { listRegistrations } from './freeswitch/event-socket/sofia-commands';
import { DEFAULT_OPTIONS } from './freeswitch/generator';
import { XmlCurlAnswerer } from './freeswitch/xml-curl-answer';
import { buildJobs } from './jobs';
import { JobRunner } from './jobs/runner';
import { createLogger } from './log';
import { PhoneApps } from './phone-apps';
import { AgentStatusPush } from './phone-apps/agent-push';
import { createApp } from './portal/app';
import { phoneConfigFingerprint } from './provisioning/fingerprint';
import { PrerenderAfterChanges } from './provisioning/prerender-after-changes';
import { ResyncQueue } from './provisioning/resync-queue';
import { type FreeswitchHttpOptions, freeswitchListener } from './servers/freeswitch-http';
import { phoneAppsListener } from './servers/phone-apps';
import { startProvisioning } from './servers/provisioning/start';
import { createTftpServer, type TftpServer } from './servers/tftp';
import { provisioningTftpSource } from './servers/tftp-provisioning';
import { createServices } from './services';
import { SYSTEM } from './services/actor';
import { AgentStatusService } from './services/agent-status';
import { buildCallRecordIntake } from './services/call-record-intake';
import { CdrDeadLetters } from './services/cdr-dead-letter';
import { seedDemo } from './services/demo';
import { LiveSnapshots } from './services/live-snapshots';
import { smtpSender } from './services/mail';
import { PhoneAppDevices } from './services/phone-app-devices';
import { ResyncWatcher } from './services/resync-watcher';
import { VoicemailService } from './services/voicemail';
import { voicemailAudioSource } from './services/voicemail-audio';
import { VoicemailNotifier } from './services/voicemail-notify';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const orm = await openDatabase({ url: config.databaseUrl, sqlitePath: join(config.dataDir, 'dialtone.sqlite') });
  // Provisioning: a broken firmware profile or template stops start-up here (ConfigError naming the file and field).
  const live = new LiveSnapshots(orm);
  const provisioning = startProvisioning(orm, config, log, {
    live,
    settings: {
      sip: {
        registrarHost: config.sip.registrarHost,
        port: config.sip.port,
        transport: config.sip.transport,
        registerExpiresSeconds: 600,
      },
      ntpServer: config.ntpServer,
    },
    limits: { allow: config.provisioningAllow },
  });
  // One event-socket connection for everything Dialtone asks FreeSWITCH (check-sync, voicemail, agent status).
  const freeswitch = new EslFreeswitchControl({ ...config.eventSocket, onListenerError: () => {} });
  const voicemailAudio = voicemailAudioSource(config.freeswitchSftp);
  const voicemail = new VoicemailService({ snapshots: live, freeswitch, audio: voicemailAudio, log });
  // Voicemail notifications by email (SMTP_URL): off without a relay.
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
  const agents = new AgentStatusService(freeswitch, log);
  const services = createServices(
    orm,
    { profileIds: provisioning.profileIds },
    { dataDir: config.dataDir, log, voicemail, agents },
  );
  // Uploads a crash cut off mid-way leave temporary files behind: gone at the next start.
  services.audio.sweepTemp().catch((err) => log('warn', 'could not sweep temporary uploads', { err }));

  if (config.seedDemo && (await services.pbx.list(SYSTEM)).length === 0) {
    const demo = await seedDemo(services, 'demo');
    if (demo.admin) {
      // Printed once: the password is stored only as a hash.
      process.stdout.write(
        `\n  Demo PBX "${demo.pbx.name}" created.\n  Admin login: ${demo.admin.username}\n  Password:    ${demo.admin.password}\n\n`,
      );
    }
  }

  // FreeSWITCH: live xml_curl answers and call records (off until XML_CURL_PASSWORD is set), event socket for check-sync.
  const generate = {
    ...DEFAULT_OPTIONS,
    audioDir: config.freeswitchAudioDir,
    alertInfoHost: new URL(config.publicUrl).hostname,
    referenceYear: new Date().getUTCFullYear(),
  };
  const ingest = buildCallRecordIntake(orm, services.objects, config, log);
  const freeswitchOptions: FreeswitchHttpOptions = {
    answerer: new XmlCurlAnswerer(live, generate),
    ingest,
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
  // Scheduled jobs (retention, CDR import): every node schedules them, each run happens on one (see jobs/runner.ts).
  const jobs = config.jobsEnabled
    ? new JobRunner({ orm, log, jobs: buildJobs({ orm, config, ingest, log, voicemail }) })
    : null;
  jobs?.start();
  if (jobs) log('info', 'jobs scheduled', { jobs: jobs.jobs.map((j) => `${j.name} (${j.schedule} UTC)`) });

  const resync = new ResyncQueue({
    send: (t) => freeswitch.checkSync(t.user, t.domain),
    log: (msg, fields) => log('warn', msg, fields),
  });
  const watcher = new ResyncWatcher(live, phoneConfigFingerprint(provisioning.catalog, provisioning.settings), resync);
  const watch = setInterval(() => {
    watcher.check().catch((err) => log('warn', 're-sync check failed', { err }));
  }, 5000);
  watch.unref();

  const app = createApp(services, {
    log: (msg, err) => log('error', msg, { err }),
    publicUrl: config.publicUrl,
    hooks: {
      // Home shows registered phones only while FreeSWITCH answers (it waits at most a moment, then hides the tile).
      registeredPhones: async (domain) => {
        const rows = await listRegistrations(freeswitch);
        return rows.filter((r) => r.realm.toLowerCase() === domain.toLowerCase()).length;
      },
    },
  });
  // Phone apps: the phone is known by its URL token; FreeSWITCH's own events keep voicemail lists and Yealink
  // idle screens current (a failed subscription is retried by the client, so start-up never waits for FreeSWITCH).
  const phoneApps = new PhoneApps({
    devices: new PhoneAppDevices(orm, live),
    profiles: provisioning.catalog,
    services: { voicemail, agents },
    baseUrl: provisioning.settings.phoneAppsBaseUrl ?? `${config.publicUrl}/phone-apps`,
    idleRefreshSeconds: provisioning.settings.agentIdleRefreshSeconds,
    log,
  });
  const eventsReady = Promise.all([
    freeswitch.onEvent(['MESSAGE_WAITING'], (event) =>
      voicemail.messageWaiting(event.headers['MWI-Message-Account'] ?? ''),
    ),
    new AgentStatusPush({ agents, snapshots: live, profiles: provisioning.catalog, log }).start(),
    notifier &&
      freeswitch.onEvent(VOICEMAIL_EVENTS, (event) => {
        const left = leftMessage(event);
        if (left) notifier.messageLeft(left);
      }),
  ]).catch((err) => log('warn', 'FreeSWITCH events not subscribed', { err }));
  // Provisioning, phone apps and FreeSWITCH's lookups are answered in front of Express (see their listeners for why).
  const server: Server = createServer(
    provisioning.listener(phoneAppsListener(phoneApps, freeswitchListener(freeswitchOptions, app), { log })),
  );
  server.listen(config.port, config.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    log('info', 'dialtone listening', {
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
      database: config.databaseUrl ? 'postgresql' : 'sqlite',
    });
  });
  // Phones' files rendered in the background, requests first: a boot storm (a site's power coming back) finds them ready.
  // Afterwards, a PBX that changed and then stayed still for 10 s has its files rendered again the same way.
  const warming = new AbortController();
  const warmStart = performance.now();
  const rerender = new PrerenderAfterChanges({
    revisions: () => live.rowsNow(),
    warm: (pbxId, signal) => provisioning.files.warm(pbxId, { signal }),
    log: (level, msg, fields) => log(level, msg, fields),
  });
  let rerendering: NodeJS.Timeout | null = null;
  live
    .rowsNow()
    .then(async (before) => {
      const files = await provisioning.warmAll(warming.signal);
      log('info', 'provisioning: phone files pre-rendered', { files, ms: Math.round(performance.now() - warmStart) });
      rerender.markWarmed(before);
    })
    .catch((err) => log('warn', 'provisioning: pre-rendering stopped', { err }))
    .finally(() => {
      if (warming.signal.aborted) return;
      rerendering = setInterval(() => {
        rerender.tick(warming.signal).catch((err) => log('warn', 'provisioning: re-rendering failed', { err }));
      }, 5000);
      rerendering.unref();
    });

  let tftp: TftpServer | null = null;
  if (config.tftpPort > 0) {
    try {
      tftp = await createTftpServer({
        address: config.host,
        port: config.tftpPort,
        source: provisioningTftpSource(provisioning.files),
        logger: (entry) => log('debug', 'tftp', { ...entry }),
      });
      log('info', 'tftp listening', { port: tftp.address().port });
    } catch (err) {
      // Port 69 needs privileges: provisioning over HTTP still works, so say so and go on.
      log('warn', 'tftp not started', { port: config.tftpPort, err });
    }
  }

  const stop = async (signal: string) => {
    log('info', 'shutting down', { signal });
    warming.abort();
    clearInterval(watch);
    if (rerendering) clearInterval(rerendering);
    resync.stop();
    await jobs?.stop();
    await notifier?.stop();
    server.close();
    await tftp?.close();
    await eventsReady;
    await freeswitch.close().catch(() => {});
    await provisioning.store.flushSeen();
    await orm.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  const message = err instanceof ConfigError ? `configuration error: ${err.message}` : (err?.stack ?? String(err));
  process.stderr.write(`dialtone: ${message}\n`);
  process.exit(1);
});
