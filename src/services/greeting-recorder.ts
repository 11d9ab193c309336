// "Record by phone" from the portal: the Record button next to a greeting asks FreeSWITCH (event socket) to ring the
// user's phone straight into that greeting's record step of the dialplan (generator/dialplan/recording.ts), with the
// call authorised for that one mailbox (dialtone_record_auth=mailbox_<id>). The recording comes back like any other
// greeting recorded by phone (phone-recordings.ts, when the call record arrives).
//
// originate only answers once the phone is picked up (or gives up), so the portal waits a moment for the quick
// refusals (phone not registered, FreeSWITCH unreachable) and otherwise tells the user their phone is ringing.
import type { MikroORM } from '@mikro-orm/core';
import { NotFoundError } from '../domain/errors';
import { type Extension, ExtensionSchema, PbxSchema } from '../domain/model';
import { EslError, type FreeswitchControl, type OriginateResult, originate } from '../freeswitch/event-socket';
import { recordEntry } from '../freeswitch/generator/dialplan/recording';
import type { GreetingKind } from '../freeswitch/phone-recording';
import type { Actor } from './actor';
import type { ObjectBrowser } from './object-browser';

export type RecordCallOutcome =
  /** The phone of `extension` is ringing (or was answered at once). */
  | { ok: true; extension: string }
  /** Nothing rings; `reason` says why in words for the page. */
  | { ok: false; reason: string };

export interface GreetingRecorderOptions {
  /** How long to wait for a quick refusal before saying "ringing" (default 2.5 s). */
  waitMs?: number;
  /** Seconds the phone rings before FreeSWITCH gives up (default 30). */
  ringSeconds?: number;
  /** Where FreeSWITCH's event socket is, for the message when it cannot be reached (e.g. "127.0.0.1:8021"). */
  where?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

const CAUSES: Record<string, string> = {
  USER_NOT_REGISTERED: 'is not connected to the phone system right now (not registered)',
  SUBSCRIBER_ABSENT: 'is not connected to the phone system right now',
  NO_ANSWER: 'did not answer',
  NO_USER_RESPONSE: 'did not answer',
  USER_BUSY: 'is busy',
  CALL_REJECTED: 'rejected the call',
  ORIGINATOR_CANCEL: 'stopped ringing before it was answered',
};

export class GreetingRecorder {
  constructor(
    private readonly orm: MikroORM,
    private readonly browse: ObjectBrowser,
    private readonly control: FreeswitchControl,
    private readonly opts: GreetingRecorderOptions = {},
  ) {}

  /**
   * Rings the actor's own phone (their extension) or, for an administrator without one, the first extension of the
   * mailbox, into the record step of `greeting`. The actor must see the mailbox (another's answers NotFoundError).
   */
  async ring(actor: Actor, pbxId: number, mailboxId: number, greeting: GreetingKind): Promise<RecordCallOutcome> {
    await this.browse.get(actor, pbxId, 'mailboxes', mailboxId);
    const em = this.orm.em.fork();
    const pbx = await em.findOne(PbxSchema, { id: pbxId });
    if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    const ext = await this.phoneToRing(actor, pbxId, mailboxId);
    if (!ext)
      return {
        ok: false,
        reason: 'there is no phone to ring: you have no extension, and no extension uses this mailbox',
      };
    const request = {
      user: ext.number,
      domain: pbx.domain,
      destination: { extension: recordEntry.greeting(mailboxId, greeting), context: pbx.context },
      timeoutSeconds: this.opts.ringSeconds ?? 30,
      variables: { dialtone_record_auth: `mailbox_${mailboxId}` },
    };
    const call: Promise<OriginateResult | Error> = originate(this.control, request).catch((err: unknown) =>
      err instanceof Error ? err : new Error(String(err)),
    );
    let timer: NodeJS.Timeout | undefined;
    const ringing = new Promise<'ringing'>((resolve) => {
      timer = setTimeout(() => resolve('ringing'), this.opts.waitMs ?? 2500);
    });
    const first = await Promise.race([call, ringing]);
    clearTimeout(timer);
    const phone = `Your phone (extension ${ext.number})`;
    if (first === 'ringing') {
      // Still ringing: whatever happens later (answered, no answer) is FreeSWITCH's to tell the caller.
      void call.then((r) => {
        if (r instanceof Error) this.opts.log?.('record by phone: originate failed', { err: r.message });
      });
      return { ok: true, extension: ext.number };
    }
    if (first instanceof EslError)
      return {
        ok: false,
        reason: `Dialtone could not reach the phone system’s event socket${this.opts.where ? ` (${this.opts.where})` : ''}, so nothing rings`,
      };
    if (first instanceof Error) throw first;
    if (first.ok) return { ok: true, extension: ext.number };
    return { ok: false, reason: `${phone} ${CAUSES[first.cause] ?? `could not be called (${first.cause})`}` };
  }

  private async phoneToRing(actor: Actor, pbxId: number, mailboxId: number): Promise<Extension | null> {
    const em = this.orm.em.fork();
    if (actor.kind === 'user' && actor.extensionId !== null) {
      const own = await em.findOne(ExtensionSchema, { id: actor.extensionId, pbxId });
      if (own) return own;
    }
    return em.findOne(ExtensionSchema, { pbxId, mailboxId }, { orderBy: { number: 'asc' } });
  }
}
