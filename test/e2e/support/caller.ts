// A caller's in-call steps as sipp XML (put in place of call.xml's in-call marker), and what a finished call looks like.
import { join } from 'node:path';
import type { Channel } from './call-events';
import { writeDtmfPcap, writeSpeechPcap } from './rtp-pcap';
import type { SipMessage } from './sip-log';

/** In-call steps, in order, after the call is answered. Every wait also takes FreeSWITCH's BYE (the call then ends). */
export type Step =
  | { wait: number }
  /** Keys as RFC 2833 telephone-events, `gapMs` apart (default 250); the next step starts once they are sent. */
  | { dtmf: string; gapMs?: number }
  /** Speaks (a G.711 a-law tone) for `ms` (default 4000); the next step starts once it is over. */
  | { speak: true; ms?: number };

let labels = 0;

function wait(ms: number): string {
  const label = `w${++labels}`;
  return `<recv request="BYE" timeout="${Math.max(1, Math.round(ms))}" ontimeout="${label}" next="bye"/>\n  <label id="${label}"/>`;
}

const play = (file: string) => `<nop><action><exec play_pcap_audio="${file}"/></action></nop>`;

/** The XML of `steps` (key pcaps written to `dir`), then a last wait of `holdMs` before the caller hangs up. */
export function inCallXml(steps: Step[], holdMs: number, dir: string): string {
  const out: string[] = [];
  for (const s of steps) {
    if ('wait' in s) out.push(wait(s.wait));
    else if ('speak' in s) {
      const file = join(dir, `speech-${++labels}-${Date.now().toString(36)}.pcap`);
      out.push(play(file), wait(writeSpeechPcap(file, s.ms ?? 4000) + 100));
    } else {
      const file = join(dir, `keys-${++labels}-${Date.now().toString(36)}.pcap`);
      const ms = writeDtmfPcap(file, s.dtmf, s.gapMs);
      out.push(play(file), wait(ms + 100));
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
