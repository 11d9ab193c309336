// Company directory (dt_directory, *411): mod_directory with one shared profile, first/last name per PBX.
import type { PbxSnapshot } from '../../../domain/snapshot';
import type { Action, ConfSection } from '../xml';
import { act, set } from './dsl';
import type { Scope } from './scope';

/**
 * The profile is named "default" on purpose: mod_directory asks mod_voicemail for recorded names with
 * `vm_prefs <directory profile>/<user>@<domain>`, and the voicemail profile is "default".
 */
export const DIRECTORY_PROFILE = 'default';

export function companyDirectoryActions(s: Scope): Action[] {
  return [
    act('answer'),
    act('sleep', '500'),
    // Overrides the profile's search-order for this call (mod_directory reads directory_search_order).
    set('directory_search_order', s.snap.pbx.directoryByFirstName ? 'first_name' : 'last_name'),
    // Selecting a name transfers to that user's id in the PBX context.
    act('directory', `${DIRECTORY_PROFILE} ${s.domain} ${s.ctx}`),
  ];
}

export function directoryConf(_snaps: PbxSnapshot[]): ConfSection {
  const params: Array<[string, string]> = [
    ['max-menu-attempts', '3'],
    ['min-search-digits', '3'],
    ['terminator-key', '#'],
    ['digit-timeout', '3000'],
    ['max-result', '5'],
    ['next-key', '6'],
    ['prev-key', '4'],
    ['switch-order-key', '*'],
    ['select-name-key', '1'],
    ['new-search-key', '3'],
    ['search-order', 'last_name'],
    ['use-number-alias', 'false'],
  ];
  return {
    name: 'directory.conf',
    description: 'Directory',
    build: (parent) => {
      parent.ele('settings');
      const profile = parent.ele('profiles').ele('profile', { name: DIRECTORY_PROFILE });
      for (const [name, value] of params) profile.ele('param', { name, value });
    },
  };
}
