// SIP endpoints FreeSWITCH calls: desk phones (registered extensions) and the carrier behind a SIP trunk. Each listens
// on its own port with scenarios/phone.xml; changing how it answers restarts that sipp on the same port.
import { mkdirSync } from 'node:fs';
import { sleep } from './freeswitch';
import type { PortBlock } from './ports';
import type { SipMessage } from './sip-log';
import { type Sipp, startSipp } from './sipp';

export type Answer = 'answer' | 'accept' | 'refer' | 'busy' | 'ring';

export class Endpoint {
  readonly port: number;
  private uas: Sipp | null = null;
  /** Every process this endpoint ran: their traces together are what it received. */
  private readonly runs: Sipp[] = [];

  constructor(
    protected readonly ports: PortBlock,
    protected readonly dir: string,
    readonly name: string,
    /** Who this endpoint says it is when it sends requests of its own (REFER). */
    protected readonly user = name,
    protected readonly domain = 'carrier.e2e.test',
  ) {
    this.port = ports.take();
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Answers every call from now on as `how` (scenarios/phone.xml: answer; accept = answer and press 1; refer = answer
   * and blind-transfer the caller to `referTo` (number@domain); busy; ring).
   */
  async answer(how: Answer = 'answer', referTo = ''): Promise<this> {
    await this.uas?.stop();
    this.uas = startSipp(this.ports, this.dir, this.name, {
      scenario: 'phone.xml',
      port: this.port,
      vars: { mode: how, refer_to: referTo, user: this.user, domain: this.domain },
      timeoutSec: 3600,
    });
    this.runs.push(this.uas);
    await sleep(150); // sipp binds its port at start-up
    return this;
  }

  /** Every message sent and received, over every run. */
  messages(): SipMessage[] {
    return this.runs.flatMap((r) => r.messages());
  }

  /** Messages received (optionally only requests of `method`), over every run. */
  received(method?: string): SipMessage[] {
    return this.runs.flatMap((r) => r.received(method));
  }

  /** Every INVITE received so far (also counts re-sent ones once: one per Call-ID). */
  invites(): SipMessage[] {
    const seen = new Set<string>();
    return this.received('INVITE').filter((m) => {
      const id = m.headers['call-id']?.[0] ?? '';
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /** Waits until `count` requests of `method` arrived in total. */
  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<SipMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = method === 'INVITE' ? this.invites() : this.received(method);
      if (got.length >= count) return got;
      if (Date.now() > deadline)
        throw new Error(`${this.name}: ${got.length} of ${count} ${method} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    await this.uas?.stop();
    this.uas = null;
    this.ports.give(this.port);
  }
}

/** A desk phone: registers its extension with this endpoint's port as Contact. */
export class Phone extends Endpoint {
  constructor(
    ports: PortBlock,
    dir: string,
    readonly extension: string,
    private readonly password: string,
    domain: string,
    private readonly registrar: string,
  ) {
    super(ports, dir, `phone-${extension}`, extension, domain);
  }

  /** REGISTER (digest) with Contact on this phone's port; throws with sipp's output when refused. */
  async register(expires = 3600): Promise<void> {
    const reg = startSipp(this.ports, this.dir, `register-${this.extension}`, {
      scenario: 'register.xml',
      remote: this.registrar,
      vars: { user: this.extension, domain: this.domain, expires: String(expires), contact_port: String(this.port) },
      auth: { user: this.extension, password: this.password },
      calls: 1,
      timeoutSec: 10,
    });
    const done = await reg.done;
    if (done.code !== 0)
      throw new Error(`REGISTER of ${this.extension} failed (${done.code}): ${done.output.slice(-600)}`);
  }

  unregister(): Promise<void> {
    return this.register(0);
  }
}
