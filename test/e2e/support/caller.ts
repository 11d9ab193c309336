// A caller's in-call steps as sipp XML (put in place of call.xml's in-call marker), and what a finished call looks like.
import type { Channel } from './call-events';
import type { SipMessage } from './sip-log';

/** In-call steps, in order, after the call is answered. Every wait also takes FreeSWITCH's BYE (the call then ends). */
export type Step =
  | { wait: number }
  /** Keys as SIP INFO (application/dtmf-relay), `gapMs` apart (default 300). */
  | { dtmf: string; gapMs?: number }
  /** Starts sipp's 8 s G.711 a-law recording (sent as RTP while the next steps run). */
  | { audio: true };

const PCAP = '/usr/share/sip-tester/g711a.pcap';

let labels = 0;

function wait(ms: number): string {
  const label = `w${++labels}`;
  return `<recv request="BYE" timeout="${Math.max(1, Math.round(ms))}" ontimeout="${label}" next="bye"/>\n  <label id="${label}"/>`;
}

function info(digit: string, cseq: number): string {
  return `<send retrans="500">
    <![CDATA[

      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: "[$from_name]" <sip:[$from_user]@[$domain]>;tag=[pid]call[call_number]
      To: [$peer]
      Call-ID: [call_id]
      CSeq: ${cseq} INFO
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=${digit}
      Duration=160

    ]]>
  </send>
  <recv response="200"/>`;
}

/** The XML of `steps`, then a last wait of `holdMs` before the caller hangs up. */
export function inCallXml(steps: Step[], holdMs: number): string {
  const out: string[] = [];
  let cseq = 3;
  for (const s of steps) {
    if ('wait' in s) out.push(wait(s.wait));
    else if ('audio' in s) out.push(`<nop><action><exec play_pcap_audio="${PCAP}"/></action></nop>`);
    else
      for (const d of s.dtmf) {
        if (!/^[0-9*#]$/.test(d)) throw new Error(`not a DTMF key: ${d}`);
        if (cseq > 98) throw new Error('too many in-call requests for one call');
        out.push(info(d, cseq++), wait(s.gapMs ?? 300));
      }
  }
  out.push(wait(holdMs));
  return out.join('\n  ');
}

export interface CallResult {
  /** The final SIP status the caller got (200 when answered), or 0 when none came. */
  status: number;
  /** Every SIP message of the caller. */
  messages: SipMessage[];
  /** FreeSWITCH's channel for the caller (absent when no channel was made, e.g. refused at authentication). */
  channel?: Channel;
  /** Shortcuts into `channel`: applications executed in order, variables at hang-up, the hang-up cause. */
  apps: Array<{ app: string; data: string }>;
  variables: Record<string, string>;
  hangupCause?: string;
  /** Channels FreeSWITCH originated for this call (phones, trunks, loopback legs), in creation order. */
  legs: Channel[];
  /** Whether FreeSWITCH ran `app` (with data matching `data`, when given) on the caller's channel. */
  ran(app: string, data?: string | RegExp): boolean;
}

export function callResult(messages: SipMessage[], channel: Channel | undefined, legs: Channel[]): CallResult {
  const finals = messages.filter(
    (m) => m.direction === 'received' && m.status && m.status >= 200 && /INVITE/.test(m.headers.cseq?.[0] ?? ''),
  );
  const status = finals.find((m) => m.status !== 401 && m.status !== 407)?.status ?? 0;
  const apps = channel?.apps ?? [];
  return {
    status,
    messages,
    channel,
    apps,
    variables: channel?.variables ?? {},
    hangupCause: channel?.hangup?.['Hangup-Cause'],
    legs,
    ran: (app, data) =>
      apps.some(
        (a) =>
          a.app === app && (data === undefined || (typeof data === 'string' ? a.data === data : data.test(a.data))),
      ),
  };
}
