// What a tree plays and whether the FreeSWITCH host has it: prompts, phrase macros (through en.xml's includes), the
// files those macros and mod_say play, the default music folder. Against an in-memory host; test/e2e checks it holds
// on a real FreeSWITCH (no prompt a call played was missing).
import { expect } from 'chai';
import { type HostFiles, missingSounds, promptsNeeded, soundsUsed } from '../../src/freeswitch/host-sounds';

function memoryHost(files: Record<string, string>): HostFiles {
  const paths = Object.keys(files);
  return {
    isFile: async (p) => p in files,
    read: async (p) => files[p] ?? null,
    list: async (dir) => {
      const names = paths.filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1).split('/')[0]);
      return names.length ? [...new Set(names)] : null;
    },
  };
}

const SOUNDS = '/srv/sounds';
const LANG = '/srv/lang';
const PREFIX = `${SOUNDS}/en/us/callie`;

const LANG_FILES = {
  [`${LANG}/en/en.xml`]:
    '<include>\n  <language name="en">\n    <macros>\n      <X-PRE-PROCESS cmd="include" data="vm/*.xml"/>\n    </macros>\n  </language>\n</include>\n',
  [`${LANG}/en/vm/sounds.xml`]: [
    '<include>',
    '<macro name="voicemail_record_message"><input pattern="^(.*)$"><match>',
    '<action function="play-file" data="voicemail/vm-record_message.wav"/></match></input></macro>',
    '<macro name="voicemail_message_count"><input pattern="^(.*)$"><match>',
    '<action function="play-file" data="voicemail/vm-$2.wav"/><action function="say" data="$1"/></match></input></macro>',
    '</include>',
  ].join('\n'),
};

describe('freeswitch/host-sounds', () => {
  const tree = new Map([
    [
      'dialplan/acme.xml',
      '<action application="playback" data="phrase:voicemail_record_message"/>\n<action application="play_and_get_digits" data="1 1 3 5000 # ivr/ivr-enter_ext_pound.wav file_string://ivr/ivr-call_from.wav!$${temp_dir}/x.wav silence_stream://250"/>\n<action application="playback" data="/var/lib/dialtone/audio/acme/greeting.wav"/>',
    ],
    ['autoload_configs/local_stream.conf.xml', `<directory name="default" path="${SOUNDS}/music/8000">`],
    ['autoload_configs/voicemail.conf.xml', '<param name="tone-spec" value="%(1000, 0, 640)"/>'],
  ]);

  it('lists the stock prompts and phrase macros a tree names, not uploaded audio or streams', () => {
    const needs = soundsUsed(tree);
    expect([...needs.prompts].sort()).to.deep.equal(['ivr/ivr-call_from.wav', 'ivr/ivr-enter_ext_pound.wav']);
    expect([...needs.macros]).to.deep.equal(['voicemail_record_message']);
    expect(needs.musicDir).to.equal(true);
  });

  it('a tree that runs voicemail needs every voicemail macro, what mod_say reads and the keys the prompts spell', () => {
    const needs = soundsUsed(
      new Map([['dialplan/acme.xml', '<action application="voicemail" data="default acme 201"/>']]),
    );
    expect(needs.macros).to.include('voicemail_*');
    expect(needs.prompts).to.include.members([
      'digits/7.wav',
      'time/day-3.wav',
      'ascii/35.wav',
      'voicemail/vm-new.wav',
    ]);
  });

  it('finds nothing missing on a host that has it all (prompts with or without a rate folder)', async () => {
    const host = memoryHost({
      ...LANG_FILES,
      [`${PREFIX}/ivr/8000/ivr-enter_ext_pound.wav`]: 'RIFF',
      [`${PREFIX}/ivr/ivr-call_from.wav`]: 'RIFF',
      [`${PREFIX}/voicemail/8000/vm-record_message.wav`]: 'RIFF',
      [`${SOUNDS}/music/8000/track.wav`]: 'RIFF',
    });
    expect(await missingSounds(soundsUsed(tree), { soundsDir: SOUNDS, langDir: LANG }, host)).to.deep.equal([]);
    expect(await promptsNeeded(soundsUsed(tree), { soundsDir: SOUNDS, langDir: LANG }, host)).to.deep.equal([
      'ivr/ivr-call_from.wav',
      'ivr/ivr-enter_ext_pound.wav',
      'voicemail/vm-record_message.wav',
    ]);
  });

  it('names what is missing: phrase files, a macro, a prompt a macro plays, the music folder', async () => {
    const paths = { soundsDir: SOUNDS, langDir: LANG };
    expect(await missingSounds(soundsUsed(tree), paths, memoryHost({}))).to.deep.equal([
      `phrase files: ${LANG}/en/en.xml does not exist (set the language directory)`,
      `2 prompt(s) missing below ${PREFIX}: ivr/ivr-call_from.wav, ivr/ivr-enter_ext_pound.wav`,
      `default hold music: ${SOUNDS}/music/8000 has no files (freeswitch-music-default)`,
    ]);
    const almost = memoryHost({
      ...LANG_FILES,
      [`${PREFIX}/ivr/ivr-enter_ext_pound.wav`]: 'RIFF',
      [`${PREFIX}/ivr/ivr-call_from.wav`]: 'RIFF',
      [`${SOUNDS}/music/8000/track.wav`]: 'RIFF',
    });
    expect(await missingSounds(soundsUsed(tree), paths, almost)).to.deep.equal([
      `1 prompt(s) missing below ${PREFIX}: voicemail/vm-record_message.wav`,
    ]);
    const unknownMacro = soundsUsed(new Map([['dialplan/a.xml', 'data="phrase:no_such_macro:1"']]));
    expect(await missingSounds(unknownMacro, paths, almost)).to.deep.equal([
      `phrase macro no_such_macro: not defined below ${LANG}/en`,
    ]);
  });
});
