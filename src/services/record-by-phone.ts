// Record via Phone for auto attendants: FreeSWITCH rings the administrator's extension and runs the attendant's
// recording entry (dt_record_attendant_<id>), authorised by the channel variable the generated flow checks.
import { originate } from '../freeswitch/event-socket';
import type { FreeswitchControl } from '../freeswitch/event-socket/freeswitch-control';
import { recordEntry } from '../freeswitch/generator/dialplan/recording';

export interface AttendantRecordCall {
  extension: string;
  domain: string;
  context: string;
  attendantId: number;
}

export function recordAttendantByPhone(
  fs: FreeswitchControl,
): (r: AttendantRecordCall) => Promise<'ringing' | 'failed'> {
  return async (r) => {
    const result = await originate(fs, {
      user: r.extension,
      domain: r.domain,
      destination: { extension: recordEntry.attendant(r.attendantId), context: r.context },
      timeoutSeconds: 30,
      variables: { dialtone_record_auth: `attendant_${r.attendantId}` },
    });
    return result.ok ? 'ringing' : 'failed';
  };
}
