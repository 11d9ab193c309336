// Settings the generator needs about the FreeSWITCH host (paths, URLs); everything else comes from the PBX snapshot.
export interface GenerateOptions {
  /** Directory on the FreeSWITCH host holding Dialtone audio: <audioDir>/<pbx context>/<stored name>. */
  audioDir: string;
  /**
   * FreeSWITCH's sounds directory on the host (the base config's paths.soundsDir: the same value on both sides).
   * Stock prompts are played relative to $${sound_prefix} below it; the default hold music streams from its
   * music/8000 folder (freeswitch-music-default). Written as a path, never as $${…}: no generated attribute holds one.
   */
  soundsDir: string;
  /** Host put into the intercom Alert-Info URI, e.g. "<http://dialtone.example>;info=alert-autoanswer". */
  alertInfoHost: string;
  /** Name of the SIP profile phones register to. */
  internalProfile: string;
  /** Gateway (external profile) tried first for 911 from every PBX, before the PBX's own first trunk. */
  emergencyGateway?: string;
  /** Year whose DST rules timezones.conf expresses (an input, so output never depends on the clock). */
  referenceYear: number;
}

export const DEFAULT_OPTIONS: GenerateOptions = {
  audioDir: '/var/lib/dialtone/audio',
  soundsDir: '/usr/share/freeswitch/sounds',
  alertInfoHost: '127.0.0.1',
  internalProfile: 'internal',
  referenceYear: 2026,
};
