// Sounds for a test host: the installed FreeSWITCH ships phrase files (conf-vanilla/lang) but no sound packs, so a
// test fills its sounds folder with short tones under every prompt name the tree plays, and one hold-music track.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toneWav } from './wav';

/** The installed FreeSWITCH's packaged phrase files: <prefix>/share/freeswitch/conf-vanilla/lang. */
export function langDir(): string {
  const bin = realpathSync(execFileSync('sh', ['-c', 'command -v freeswitch'], { encoding: 'utf8' }).trim());
  const dir = join(dirname(dirname(bin)), 'share', 'freeswitch', 'conf-vanilla', 'lang');
  if (!existsSync(join(dir, 'en', 'en.xml'))) throw new Error(`no phrase files at ${dir}/en/en.xml`);
  return dir;
}

/** A 0.25 s tone at <prefix>/<prompt> for each prompt, and one track in <soundsDir>/music/8000. */
export function fillSounds(prefix: string, soundsDir: string, prompts: string[]): void {
  const tone = toneWav(250);
  for (const p of prompts) {
    const file = join(prefix, p);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, tone);
  }
  mkdirSync(join(soundsDir, 'music', '8000'), { recursive: true });
  writeFileSync(join(soundsDir, 'music', '8000', 'e2e-tone.wav'), toneWav(2000, 330));
}
