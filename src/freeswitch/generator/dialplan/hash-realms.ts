// mod_hash realms the PBX context keeps per call: written where a phone rings or an extension calls, read by the
// features that need to find a live channel by extension number.
export const hashRealm = {
  /** Directed pickup (*8 + ext): the ringing channel of the extension's last call. */
  lastDial: (ctx: string) => `${ctx}-last_dial_ext`,
  /** Listen live / barge: the extension's current channel, and which side of it the extension is. */
  spy: (ctx: string) => `${ctx}-spymap`,
  spySide: (ctx: string) => `${ctx}-spyside`,
  /** Voicemail message to play: key extension number, value `<box id>:<message uuid>`, written by the phone apps. */
  vmPlay: (ctx: string) => `${ctx}-vm_play`,
};
