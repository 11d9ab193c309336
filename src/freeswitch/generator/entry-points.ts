// Every routable object has an entry point in its PBX's dialplan context; a Destination compiles to a transfer there.
// Entry-point names start with "dt_" so they never collide with anything dialable from a keypad.
import type { Destination } from '../../domain/destination';
import type { PbxSnapshot } from '../../domain/snapshot';
import { fsDigits, fsId } from './escape';
import type { Action } from './xml';

export const entry = {
  mailbox: (id: number, greeting?: 'unavailable' | 'busy') => `dt_vm_${id}${greeting === 'busy' ? '_busy' : ''}`,
  group: (id: number) => `dt_group_${id}`,
  attendant: (id: number) => `dt_ivr_${id}`,
  timeFrame: (id: number) => `dt_tf_${id}`,
  conference: (id: number) => `dt_conf_${id}`,
  conferenceHub: (id: number) => `dt_hub_${id}`,
  queue: (id: number) => `dt_queue_${id}`,
  trunk: (id: number) => `dt_trunk_${id}`,
  phoneNumber: (id: number) => `dt_did_${id}`,
  /** Ring the extension's own phone(s) then follow its busy/no-answer/offline rules. */
  phone: (extensionId: number) => `dt_phone_${extensionId}`,
  findMe: (extensionId: number) => `dt_findme_${extensionId}`,
  companyDirectory: 'dt_directory',
  checkVoicemail: 'dt_check_vm',
} as const;

/**
 * Compiles a destination to dialplan actions in the PBX context. `owner` is the extension whose routing this is
 * (needed for `phone` and `find_me`). Unknown targets compile to a hangup: the domain refuses them on save, so
 * this only happens with a hand-edited database.
 */
export function compileDestination(d: Destination, snap: PbxSnapshot, owner?: { extensionId: number }): Action[] {
  // Numbers and the context are validated on save; reducing them again here keeps a hand-edited row from
  // smuggling `|`, `,` or `${...}` into transfer data.
  const ctx = fsId(snap.pbx.context);
  const to = (name: string): Action[] => [{ app: 'transfer', data: `${name} XML ${ctx}` }];
  switch (d.kind) {
    case 'extension': {
      const ext = snap.extensions.find((e) => e.id === d.id);
      return ext ? to(fsDigits(ext.number)) : [{ app: 'hangup', data: 'UNALLOCATED_NUMBER' }];
    }
    case 'mailbox':
      return to(entry.mailbox(d.id, d.greeting));
    case 'group':
      return to(entry.group(d.id));
    case 'auto_attendant':
      return to(entry.attendant(d.id));
    case 'time_frame':
      return to(entry.timeFrame(d.id));
    case 'conference':
      return to(entry.conference(d.id));
    case 'conference_hub':
      return to(entry.conferenceHub(d.id));
    case 'queue':
      return to(entry.queue(d.id));
    case 'sip_trunk':
      return to(entry.trunk(d.id));
    case 'phone_number':
      return to(entry.phoneNumber(d.id));
    case 'outside_number':
      return to(fsDigits(d.number));
    case 'custom':
      return to(fsDigits(d.value));
    case 'company_directory':
      return to(entry.companyDirectory);
    case 'check_voicemail':
      return to(entry.checkVoicemail);
    case 'phone':
      return owner ? to(entry.phone(owner.extensionId)) : [{ app: 'hangup', data: 'UNALLOCATED_NUMBER' }];
    case 'find_me':
      return owner ? to(entry.findMe(owner.extensionId)) : [{ app: 'hangup', data: 'UNALLOCATED_NUMBER' }];
    case 'hangup':
      return [{ app: 'hangup', data: 'NORMAL_CLEARING' }];
  }
}
