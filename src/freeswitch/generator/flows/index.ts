// Call flows: public context per phone number, attendants (IVR), time frames, ring groups, conferences, queues,
// hold music streams and SIP trunk gateways. Every file is a pure function of the snapshot(s) and options.
//
// Files of one PBX (the PBX context includes dialplan/<ctx>/*.xml; this module uses prefixes 20-34):
//   dialplan/public/20_<did>.xml         public_<did>: blocking, screening prompt, hold music, presentation
//   dialplan/<ctx>/20_did_<id>.xml        dt_did_<id>: holidays, then route-to (+ dt_screen_<id>)
//   dialplan/<ctx>/22_tf_<id>.xml         dt_tf_<id>
//   dialplan/<ctx>/24_ivr_<id>.xml        dt_ivr_<id>
//   dialplan/<ctx>/26_group_<id>.xml      dt_group_<id>
//   dialplan/<ctx>/28_conf_<id>.xml       dt_conf_<id> and the room number
//   dialplan/<ctx>/30_hub_<id>.xml        dt_hub_<id>, dt_hub_<id>_room
//   dialplan/<ctx>/32_queue_<id>.xml      dt_queue_<id>, dt_queue_<id>_done and the queue number
//   dialplan/<ctx>/34_trunk_<id>.xml      dt_trunk_<id>
//   sip_profiles/external/<ctx>_<trunk>.xml
// Shared: autoload_configs/{ivr,conference,callcenter,local_stream}.conf.xml.
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { GenerateOptions } from '../options';
import type { ConfSection, Fragment } from '../xml';
import { attendantFiles, ivrConf } from './attendants';
import { conferenceConf, conferenceFiles } from './conferences';
import { localStreamConf } from './hold-music';
import { phoneNumberFiles } from './public';
import { callcenterConf, queueFiles } from './queues';
import { ringGroupFiles } from './ring-groups';
import { timeFrameFiles } from './time-frames';
import { trunkFiles } from './trunks';

export { announcementPath, attendantMenuName } from './attendants';
export { alternatives, STOCK_SOUNDS, stockMusicDir } from './common';
export { conferenceName } from './conferences';
export {
  DEFAULT_STREAM,
  type HoldMusicFolder,
  holdMusicFolders,
  holdMusicStream,
  outboundHoldMusic,
} from './hold-music';
export { blockedCallersRegex, didRegex, numbersRegex, phoneNumberCallerId } from './public';
export { agentName, queueName } from './queues';
export { ringGroupMembers } from './ring-groups';
export {
  dateRangeAttributes,
  holidayAttributes,
  holidayRangeAttributes,
  timeRuleAttributes,
  timeRuleConditions,
  timezoneAction,
  whenAny,
} from './time-frames';
export { gatewayName, trunkDialString } from './trunks';

export function flowFiles(snap: PbxSnapshot): Fragment[] {
  return [
    ...phoneNumberFiles(snap),
    ...timeFrameFiles(snap),
    ...attendantFiles(snap),
    ...ringGroupFiles(snap),
    ...conferenceFiles(snap),
    ...queueFiles(snap),
    ...trunkFiles(snap),
  ];
}

/** One section per module file, covering every PBX: each module reads only the first <menus>/<queues>/… it finds. */
export function flowConfSections(snaps: PbxSnapshot[], opts: GenerateOptions): ConfSection[] {
  const sorted = [...snaps].sort((a, b) => a.pbx.context.localeCompare(b.pbx.context));
  return [ivrConf(sorted, opts), conferenceConf(sorted), callcenterConf(sorted), localStreamConf(sorted, opts)];
}
