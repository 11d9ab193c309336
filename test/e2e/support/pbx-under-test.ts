// One PBX on a real FreeSWITCH for one test file: built through the service layer, exported (static) or served by a
// running Dialtone (live), with phones, a carrier and callers. See ./index.ts for how a test file uses it.
import { join } from 'node:path';
import { openDatabase } from '../../../src/db';
import type { FreeswitchSettings } from '../../../src/freeswitch/base-config';
import type { GenerateOptions } from '../../../src/freeswitch/generator';
import { textTree } from '../../../src/freeswitch/pack-tree';
import { createServices, type Services } from '../../../src/services';
import type { PbxView } from '../../../src/services/pbx-service';
import { CallEvents, type Channel } from './call-events';
import { type CallResult, callResult, inCallXml, type Step } from './caller';
import { Freeswitch, makeDirs, sleep, writeTree } from './freeswitch';
import { type HttpPeer, startCdrSink, startDialtone } from './http-sinks';
import { makeBuilder, type PbxBuilder } from './pbx-builder';
import { type Answer, Endpoint, Phone } from './phones';
import { claimPortBlock, type PortBlock } from './ports';
import { header, readSipLog, type SipMessage } from './sip-log';
import { scenarioWith, startSipp } from './sipp';
import { ESL_PASSWORD, exportOntoTestHost, freeswitchSettings, generateOptions, type Mode } from './test-host';

export type { PbxBuilder } from './pbx-builder';

export interface StartOptions {
  mode: Mode;
  /** PBX fields (time zone, feature flags, call paths ...) on top of the defaults. */
  pbx?: Record<string, unknown>;
  setup?(b: PbxBuilder): Promise<void>;
}

export interface CallOptions {
  /** An extension number (authenticates as that user), or a carrier calling in over the trunk profile. */
  from: string | { trunk: true; number: string };
  to: string;
  /** Caller display name (default the extension number or "Carrier caller"). */
  name?: string;
  steps?: Step[];
  /** How long the caller stays after its steps before hanging up (default 1000 ms). */
  holdMs?: number;
  timeoutSec?: number;
}

let callCounter = 0;

export interface Subscription {
  notifies(): SipMessage[];
  waitFor(test: (m: SipMessage) => boolean, what: string, timeoutMs?: number): Promise<SipMessage>;
  stop(): Promise<void>;
}

export interface RunningCall {
  callId: string;
  /** The caller's SIP messages so far. */
  messages(): SipMessage[];
  /** FreeSWITCH's channel for the caller, once it exists. */
  channel(): Channel | undefined;
  done: Promise<CallResult>;
}

export class PbxUnderTest {
  private readonly phones = new Map<string, Phone>();
  private readonly subscriptions: Subscription[] = [];
  private constructor(
    readonly mode: Mode,
    readonly fs: Freeswitch,
    readonly events: CallEvents,
    readonly services: Services,
    readonly pbx: PbxView,
    readonly ports: PortBlock,
    readonly carrier: Endpoint,
    readonly generateOptions: GenerateOptions,
    readonly settings: FreeswitchSettings,
    readonly cdr: Awaited<ReturnType<typeof startCdrSink>>,
    readonly dialtone: (HttpPeer & { lookups: () => number; problems: string[] }) | null,
    /** The files written for FreeSWITCH (static: everything; live: base and gateways). */
    readonly tree: Map<string, string>,
    private readonly sippDir: string,
    /** Length of the FreeSWITCH log when start-up finished. */
    readonly startupLogLength: number,
  ) {}

  get domain(): string {
    return this.pbx.domain;
  }
  get context(): string {
    return this.pbx.context;
  }

  static async start(o: StartOptions): Promise<PbxUnderTest> {
    const ports = await claimPortBlock();
    const dirs = makeDirs();
    const cleanups: Array<() => Promise<void> | void> = [() => ports.release()];
    try {
      const orm = await openDatabase({ url: null, sqlitePath: ':memory:' });
      const services = createServices(orm, { profileIds: new Set() });
      cleanups.push(() => orm.close(true));
      const carrier = new Endpoint(ports, join(dirs.root, 'sipp'), 'carrier');
      const builder = await makeBuilder(services, o.pbx ?? {}, carrier.port);
      await o.setup?.(builder);
      const cdr = await startCdrSink();
      cleanups.push(() => cdr.close());
      const generate = generateOptions(dirs);
      const dialtone = o.mode === 'live' ? await startDialtone(services, generate, join(dirs.root, 'data')) : null;
      if (dialtone) cleanups.push(() => dialtone.close());
      const settings = freeswitchSettings(o.mode, ports, dirs, dialtone?.url ?? null, cdr.url);
      const exported = await exportOntoTestHost(services, settings, generate, dirs);
      const tree = textTree(exported.tree);
      writeTree(dirs.conf, tree);
      const fs = await Freeswitch.start(dirs, ports, ESL_PASSWORD);
      cleanups.push(() => fs.dispose());
      const events = await CallEvents.attach(fs.esl);
      const pbx = await services.pbx.byContext(builder.pbx.context);
      return new PbxUnderTest(
        o.mode,
        fs,
        events,
        services,
        pbx,
        ports,
        carrier,
        generate,
        settings,
        cdr,
        dialtone,
        tree,
        join(dirs.root, 'sipp'),
        fs.log().length,
      );
    } catch (err) {
      for (const c of cleanups.reverse()) await c();
      throw err;
    }
  }

  get registrar(): string {
    return `127.0.0.1:${this.ports.sipInternal}`;
  }

  /**
   * Extension `number`'s desk phone, (re-)registered and answering as `how` from now on. One phone per extension:
   * asking again changes how the same phone answers (FreeSWITCH keeps one contact per phone).
   */
  async phone(number: string, how: Answer = 'answer', referTo = ''): Promise<Phone> {
    let phone = this.phones.get(number);
    if (!phone) {
      const snap = await this.services.snapshot(this.pbx.id);
      const ext = snap.extensions.find((e) => e.number === number);
      if (!ext) throw new Error(`no extension ${number}`);
      phone = new Phone(this.ports, this.sippDir, number, ext.sipPassword, this.domain, this.registrar);
      this.phones.set(number, phone);
    }
    await phone.answer(how, referTo);
    await phone.register();
    return phone;
  }

  /**
   * REGISTERs `user` with `password` from a throw-away port and returns the final status FreeSWITCH answered
   * (200, 403, ...), for accounts no phone should have.
   */
  async tryRegister(user: string, password: string): Promise<number> {
    const reg = startSipp(this.ports, this.sippDir, `register-${user}`, {
      scenario: 'register.xml',
      remote: this.registrar,
      vars: { user, domain: this.domain, expires: '60', contact_port: String(this.carrier.port) },
      auth: { user, password },
      calls: 1,
      timeoutSec: 10,
    });
    await reg.done;
    const finals = reg.received().filter((m) => m.status !== undefined && m.status >= 200 && m.status !== 401);
    return finals.at(-1)?.status ?? 0;
  }

  /** Places one call and waits until it is over; returns what the caller got and what FreeSWITCH did. */
  async call(o: CallOptions): Promise<CallResult> {
    return (await this.startCall(o)).done;
  }

  /** Starts a call: its Call-ID and live trace now, its result when it is over (for calls that overlap). */
  async startCall(o: CallOptions): Promise<RunningCall> {
    const trunk = typeof o.from !== 'string';
    const fromUser = typeof o.from === 'string' ? o.from : o.from.number;
    let password = '';
    if (!trunk) {
      const snap = await this.services.snapshot(this.pbx.id);
      password = snap.extensions.find((e) => e.number === fromUser)?.sipPassword ?? 'not-an-extension';
    }
    const callId = `e2e-${process.pid}-${++callCounter}-${Date.now().toString(36)}@127.0.0.1`;
    const scenario = scenarioWith(this.sippDir, 'call', inCallXml(o.steps ?? [], o.holdMs ?? 1000, this.sippDir));
    const sipp = startSipp(this.ports, this.sippDir, `call-${callCounter}`, {
      scenario,
      remote: `127.0.0.1:${trunk ? this.ports.sipExternal : this.ports.sipInternal}`,
      vars: {
        to: o.to,
        domain: trunk ? 'carrier.e2e.test' : this.domain,
        from_user: fromUser,
        from_name: o.name ?? (trunk ? 'Carrier caller' : fromUser),
      },
      ...(trunk ? {} : { auth: { user: fromUser, password } }),
      calls: 1,
      callId,
      timeoutSec: o.timeoutSec ?? 60,
    });
    const done = (async () => {
      const exit = await sipp.done;
      const messages = readSipLog(sipp.logFile);
      if (!messages.some((m) => m.direction === 'received'))
        throw new Error(`caller got no answer at all (sipp exit ${exit.code}): ${exit.output.slice(-800)}`);
      // FreeSWITCH's events follow the caller's last message by a few ms, by seconds on a loaded machine: a call
      // that rang or was answered has a channel, and its hang-up (and its legs' hang-ups) are waited for.
      const reached = messages.some(
        (m) => m.direction === 'received' && m.status !== undefined && m.status > 100 && m.status < 300,
      );
      const channelWait = Date.now() + (reached ? 10_000 : 300);
      let channel = this.events.bySipCallId(callId);
      while (!channel && Date.now() < channelWait) {
        await sleep(50);
        channel = this.events.bySipCallId(callId);
      }
      const deadline = Date.now() + 10_000;
      while (channel && !channel.hangup && Date.now() < deadline) await sleep(50);
      // Legs normally end with the caller; one transferred elsewhere lives on, so this wait is short and not an error.
      const legsWait = Date.now() + 2_000;
      while (channel && this.events.legsOf(channel.uuid).some((l) => !l.hangup) && Date.now() < legsWait)
        await sleep(50);
      return callResult(messages, channel, channel ? this.events.legsOf(channel.uuid) : []);
    })();
    return { callId, messages: () => sipp.messages(), channel: () => this.events.bySipCallId(callId), done };
  }

  /**
   * Completes an attended transfer as `phone` would: its call `held` (the latest call it answered) is sent to where
   * its own call `consult` went, replacing that call (REFER with Replaces in the held call's dialog).
   */
  async attendedTransfer(phone: Phone, consult: RunningCall, consultTo: string): Promise<void> {
    const invite = phone.invites().at(-1);
    const answered = phone
      .messages()
      .filter((m) => m.direction === 'sent' && m.status === 200 && /INVITE/.test(header(m, 'cseq') ?? ''));
    const ok = answered.find((m) => header(m, 'call-id') === header(invite!, 'call-id'));
    const consultOk = consult
      .messages()
      .find((m) => m.direction === 'received' && m.status === 200 && /INVITE/.test(header(m, 'cseq') ?? ''));
    if (!invite || !ok || !consultOk)
      throw new Error(`attended transfer: ${phone.name} has no answered call, or the consultation is not answered`);
    const tag = (v: string | undefined) => /;tag=([^;>\s]+)/.exec(v ?? '')?.[1] ?? '';
    const contact = /<([^>]+)>/.exec(header(invite, 'contact') ?? '')?.[1] ?? '';
    const replaces = `${consult.callId};to-tag=${tag(header(consultOk, 'to'))};from-tag=${tag(header(consultOk, 'from'))}`;
    const refer = startSipp(this.ports, this.sippDir, `refer-${phone.extension}`, {
      scenario: 'refer.xml',
      remote: this.registrar,
      vars: {
        uri: contact,
        from: header(ok, 'to') ?? '',
        to: header(invite, 'from') ?? '',
        refer_to: `sip:${consultTo}@${this.domain}?Replaces=${encodeURIComponent(replaces)}`,
        referred_by: `<sip:${phone.extension}@${this.domain}>`,
      },
      callId: header(invite, 'call-id'),
      calls: 1,
      timeoutSec: 10,
    });
    const done = await refer.done;
    if (done.code !== 0) throw new Error(`REFER with Replaces was not accepted: ${done.output.slice(-600)}`);
  }

  /**
   * Extension `from` SUBSCRIBEs to `target` (user@domain) for `event` and keeps taking NOTIFYs until `stop()`:
   * message-summary for message-waiting lamps, dialog / presence for busy lamps.
   */
  async subscribe(
    from: string,
    target: string,
    event: 'message-summary' | 'dialog' | 'presence',
  ): Promise<Subscription> {
    const snap = await this.services.snapshot(this.pbx.id);
    const password = snap.extensions.find((e) => e.number === from)?.sipPassword ?? 'not-an-extension';
    const accept = {
      'message-summary': 'application/simple-message-summary',
      dialog: 'application/dialog-info+xml',
      presence: 'application/pidf+xml',
    }[event];
    const sipp = startSipp(this.ports, this.sippDir, `subscribe-${from}-${event}`, {
      scenario: 'subscribe.xml',
      remote: this.registrar,
      vars: { user: from, domain: this.domain, target, event, accept, expires: '600' },
      auth: { user: from, password },
      calls: 1,
      timeoutSec: 600,
    });
    const notifies = () => sipp.received('NOTIFY');
    const subscription: Subscription = {
      notifies,
      waitFor: async (test, what, timeoutMs = 10_000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const hit = notifies().find(test);
          if (hit) return hit;
          if (Date.now() > deadline)
            throw new Error(
              `no NOTIFY: ${what} (got ${notifies()
                .map((n) => JSON.stringify(n.body))
                .join(', ')})`,
            );
          await sleep(50);
        }
      },
      stop: () => sipp.stop(),
    };
    this.subscriptions.push(subscription);
    return subscription;
  }

  /** `api <command>` on this FreeSWITCH. */
  api(command: string): Promise<string> {
    return this.fs.api(command);
  }

  /** Error, critical and deprecation lines FreeSWITCH logged while starting on the tree. */
  startupProblems(): string[] {
    return this.fs
      .log()
      .slice(0, this.startupLogLength)
      .split('\n')
      .filter((l) => /\[(ERR|CRIT|ALERT)\]|deprecated/i.test(l));
  }

  /** Sound files FreeSWITCH failed to open below the sounds directory (prompts the export's check did not cover). */
  missingPromptsPlayed(): string[] {
    const dir = this.settings.paths?.soundsDir ?? '';
    const lines = this.fs
      .log()
      .split('\n')
      .filter((l) => l.includes('Error Opening File') && l.includes(dir));
    return [...new Set(lines.map((l) => /\[([^\]]+)\]/.exec(l.slice(l.indexOf('Error Opening File')))?.[1] ?? l))];
  }

  async stop(): Promise<void> {
    for (const s of this.subscriptions) await s.stop();
    for (const e of [...this.phones.values(), this.carrier]) await e.stop();
    await this.fs.dispose();
    await this.cdr.close();
    await this.dialtone?.close();
    await this.services.orm.close(true);
    this.ports.release();
  }
}
