// A FreeSWITCH host's sounds for tests without sound packs: phrase files defining every macro a tree names (through an
// include, as the packaged en.xml does) and a short WAV under every prompt it plays, plus the default music folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type SoundNeeds, soundPrefix } from '../../src/freeswitch/host-sounds';
import { toneWav } from '../e2e/support/wav';

export function makeSoundsHost(root: string, needs: SoundNeeds): { soundsDir: string; langDir: string } {
  const paths = { soundsDir: join(root, 'sounds'), langDir: join(root, 'lang') };
  const write = (file: string, data: string | Buffer) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  };
  write(
    join(paths.langDir, 'en', 'en.xml'),
    '<include>\n  <language name="en" say-module="en" sound-prefix="$${sound_prefix}">\n    <phrases>\n      <macros>\n        <X-PRE-PROCESS cmd="include" data="macros/*.xml"/>\n      </macros>\n    </phrases>\n  </language>\n</include>\n',
  );
  // A `prefix*` need (every macro of a module) is met by one macro of that prefix.
  const names = [...needs.macros].map((m) => (m.endsWith('*') ? `${m.slice(0, -1)}example` : m));
  const macros = names
    .map(
      (m) =>
        `<macro name="${m}"><input pattern="(.*)"><match><action function="play-file" data="misc/${m}.wav"/></match></input></macro>`,
    )
    .join('\n');
  write(join(paths.langDir, 'en', 'macros', 'all.xml'), `<include>\n${macros}\n</include>\n`);
  const prefix = soundPrefix(paths);
  for (const p of [...needs.prompts, ...names.map((m) => `misc/${m}.wav`)]) write(join(prefix, p), toneWav(100));
  write(join(paths.soundsDir, 'music', '8000', 'track.wav'), toneWav(100));
  return paths;
}
