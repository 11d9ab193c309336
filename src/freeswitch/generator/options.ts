// Settings the generator needs about the FreeSWITCH host (paths, URLs); everything else comes from the PBX snapshot.
export interface GenerateOptions {
  /** Directory on the FreeSWITCH host holding Dialtone audio: <audioDir>/<pbx context>/<stored name>. */
  audioDir: string;
  /** FreeSWITCH's sounds prefix is $${sound_prefix}; default prompts are referenced relative to it. */
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
  alertInfoHost: '127.0.0.1',
  internalProfile: 'internal',
  referenceYear: 2026,
};
