// modules.conf.xml of the base tree: the modules FreeSWITCH loads at start, in load order. mod_xml_curl only in live
// mode: a static tree must not ask Dialtone anything (with Dialtone down, every lookup would log an error first).
import { create } from 'xmlbuilder2';

export type FreeswitchMode = 'static' | 'live';
export const FREESWITCH_MODES: readonly FreeswitchMode[] = ['static', 'live'];

interface ModuleGroup {
  comment: string;
  modules: string[];
  /** Loaded only in this mode. */
  only?: FreeswitchMode;
}

const GROUPS: ModuleGroup[] = [
  { comment: 'Loggers first, so every later module start-up is logged.', modules: ['mod_console', 'mod_logfile'] },
  {
    comment:
      'Live mode: directory, dialplan and configuration lookups answered by Dialtone. Loaded before the modules whose configuration it answers.',
    modules: ['mod_xml_curl'],
    only: 'live',
  },
  {
    comment: 'Call records posted to Dialtone. mod_xml_cdr is the alternative; loading both posts every call twice.',
    modules: ['mod_json_cdr'],
  },
  {
    comment: 'Control channel for Dialtone (originate, voicemail API, agent status, events).',
    modules: ['mod_event_socket'],
  },
  { comment: 'Endpoints.', modules: ['mod_sofia', 'mod_loopback'] },
  {
    comment: 'Applications.',
    modules: [
      'mod_commands',
      'mod_dptools',
      'mod_db',
      'mod_hash',
      'mod_expr',
      'mod_conference',
      'mod_voicemail',
      'mod_directory',
      'mod_callcenter',
      'mod_valet_parking',
    ],
  },
  { comment: 'Dialplan.', modules: ['mod_dialplan_xml'] },
  {
    comment: 'File formats and streams: WAV greetings, MP3 hold music and announcements, tones.',
    modules: ['mod_sndfile', 'mod_native_file', 'mod_shout', 'mod_local_stream', 'mod_tone_stream'],
  },
  { comment: 'Numbers, dates and counts read to callers (voicemail, directory, conference).', modules: ['mod_say_en'] },
  {
    comment: 'Text to speech for conference announcements (tts-engine flite in conference.conf).',
    modules: ['mod_flite'],
  },
];

/** The modules loaded in `mode`, in load order. */
export function loadedModules(mode: FreeswitchMode): string[] {
  return GROUPS.filter((g) => !g.only || g.only === mode).flatMap((g) => g.modules);
}

export function renderModulesConf(mode: FreeswitchMode): string {
  const conf = create().ele('configuration', { name: 'modules.conf', description: 'Modules' });
  conf.com(` Dialtone base (${mode} mode): the modules FreeSWITCH loads at start, in load order. `);
  const list = conf.ele('modules');
  for (const g of GROUPS) {
    if (g.only && g.only !== mode) continue;
    list.com(` ${g.comment} `);
    for (const m of g.modules) list.ele('load', { module: m });
  }
  return `${conf.end({ prettyPrint: true, headless: true, indent: '  ' })}\n`;
}
