// Sound prompts the PBX context plays: FreeSWITCH phrase macros (lang/en) and files of the en/us/callie set.
// File names are relative: FreeSWITCH plays them below the channel's sound_prefix (vars.xml sets it).

export const PROMPT = {
  enterPin: 'ivr/ivr-please_enter_pin_followed_by_pound.wav',
  invalid: 'ivr/ivr-that_was_an_invalid_entry.wav',
  enterNumber: 'ivr/ivr-please_enter_the_number_followed_by_pound.wav',
  /** mod_voicemail's own macros, reused so greeting recording sounds like the voicemail menus. */
  chooseGreeting: 'phrase:voicemail_choose_greeting',
  recordName: 'phrase:voicemail_record_name',
  recordMessage: 'phrase:voicemail_record_message',
  saved: 'phrase:voicemail_ack:saved',
  /** Played to the Find Me location that answers: "press 1 to accept". */
  findMeAccept: 'ivr/ivr-accept_reject_voicemail.wav',
  findMeCallFrom: 'ivr/ivr-call_from.wav',
  /** Played to the caller between Find Me locations: "press 1 to leave a message". */
  findMeOfferVoicemail: 'voicemail/vm-to_leave_message.wav',
  beep: 'tone_stream://%(500,0,640)',
  ok: 'tone_stream://%(200,0,941.0,1477.0)',
  error: 'tone_stream://%(500,500,480,620);loops=3',
  silence: 'silence_stream://250',
  /** US ringback, what vanilla calls $${us-ring}. */
  ringback: '%(2000,4000,440,480)',
} as const;

/** FreeSWITCH's default "the person at extension N is not available" greeting, read for a mailbox number. */
export const defaultGreeting = (mailboxNumber: string): string => `phrase:voicemail_play_greeting:${mailboxNumber}`;
