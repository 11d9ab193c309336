// PhoneConfig: the vendor-neutral description of everything one desk phone needs, built from the database and rendered per vendor.
//
// Rules of the contract:
// - It says WHAT the phone should do, never HOW a vendor spells it (no parameter names, no key-type numbers here).
// - Every value is already resolved (feature codes, URLs with the device token, the exact intercom header FreeSWITCH sends):
//   renderers do not look anything up, so the same PhoneConfig always renders to the same bytes.
// - Renderers re-validate every field (src/provisioning/render/validate-config.ts); user-typed text is sanitised for the
//   phone (labels, display names), secrets are rejected if they cannot be written safely, never silently altered.
// - Vendors ignore what their phones cannot do and list it in the rendered file's `omitted` notes.

/** Transport a phone uses to reach the SIP registrar. */
export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface PhoneConfig {
  /** Which device this is. */
  device: {
    /** MAC address: 12 lower-case hex digits, no separators (the form used in provisioning file names). */
    mac: string;
    /** Firmware profile id (firmware-profiles/<id>.json), e.g. "polycom-vvx450"; must equal the profile passed to the renderer. */
    profileId: string;
    /** Installer's name for the phone (e.g. "Front desk"); informational, shown nowhere that matters to routing. */
    label: string;
  };

  /** Where the phone fetches its files. */
  provisioning: {
    /**
     * Absolute http:// or https:// URL of the directory the phone fetches its files from, without a trailing slash
     * (e.g. "https://prov.example.net/p/T0k3n"). Written into the phone so later fetches (re-sync, polling) come back here.
     */
    baseUrl: string;
    /**
     * The device's own HTTP digest credentials for the provisioning server, or null.
     * Decision: null by default — a phone is never sent the secret it authenticates with. The builder sets it only when
     * the security policy needs the phone to LEARN or ROTATE them (first fetch inside an installer-armed window, over HTTPS);
     * the renderer then writes them into the per-phone secret file only (never bootstrap/common files). When null, the
     * phone keeps whatever it stored before (Yealink ignores absent values; Polycom keeps device.prov.* unless set).
     */
    credentials: { user: string; password: string } | null;
  };

  /**
   * Absolute http(s) URL of the folder holding firmware files, no trailing slash, or null to leave the phone's firmware alone.
   * The file name comes from the firmware profile (profile.firmware.files[0]).
   */
  firmwareBaseUrl: string | null;

  /** How the phone reaches FreeSWITCH. */
  sip: {
    /** SIP domain of the PBX (the realm and the host part of every AOR), e.g. "acme.pbx.example.net". */
    domain: string;
    /** Host name or IP the phone sends REGISTER to (often the domain itself resolved via DNS), e.g. "sip1.example.net". */
    registrarHost: string;
    /** Registrar port, 1–65535 (5060 for udp/tcp, 5061 for tls typically). */
    port: number;
    /** Transport to the registrar. */
    transport: SipTransport;
    /** Registration expiry the phone asks for, in seconds (60–86400). */
    registerExpiresSeconds: number;
  };

  /** SIP lines (accounts / registrations), in the order they appear on the phone. At least one; at most profile.lines. */
  lines: PhoneLine[];

  /** Voicemail and message-waiting indication. */
  voicemail: {
    /** Subscribe for MWI on each line (message-summary SUBSCRIBE to the line's own AOR). */
    subscribeMwi: boolean;
    /** Digits the phone dials for its Messages key: the PBX's check-voicemail feature code, e.g. "*98". */
    accessNumber: string;
    /**
     * Further mailboxes whose message-waiting state this phone shows (the extension's "Message Waiting Extension" list),
     * not including the line's own mailbox. Rendered where the vendor can subscribe to another mailbox (see `omitted`).
     */
    extraMailboxes: WatchedMailbox[];
  };

  /**
   * Busy-lamp keys, in key order: watched extensions and parking slots. Vendors turn these into BLF keys
   * (Polycom attendant resource list + buddy-watch flags in <mac>-directory.xml; Yealink line keys).
   */
  buddies: BuddyEntry[];

  /** Speed-dial keys the installer put on the phone, in key order (after the busy lamps). */
  speedDials: SpeedDial[];

  /**
   * Polycom "buddy list" (the extension's "Enable Buddy List"): when true, buddies are also written to the phone's
   * contact directory with the watch flag so the phone's presence/buddy screen shows them. Vendors without it ignore it.
   */
  buddyListEnabled: boolean;

  /** Directed call pickup (PBX feature "Enable Directed Call Pickup"). */
  pickup: {
    /** The PBX allows directed pickup; when false no pickup code or key is configured. */
    enabled: boolean;
    /** Feature code dialled before the ringing extension's number, e.g. "*8". */
    prefix: string;
    /** Label of the "Pickup" key (a prompt for the extension, then dials prefix+extension). */
    keyLabel: string;
  };

  /** Intercom (PBX feature "Enable Intercom"): `prefix`+extension makes the callee's phone answer on speaker. */
  intercom: {
    /** The PBX allows intercom; when false the phone must NOT auto-answer anything (a normal ring instead). */
    enabled: boolean;
    /** Feature code dialled before the target extension, e.g. "*1"; used for the phone's intercom key. */
    prefix: string;
    /**
     * The Alert-Info fields a phone receives on an intercom INVITE, in order, one header line each, e.g.
     * ["<http://127.0.0.1>;info=alert-autoanswer;delay=0", "<Ring Answer>"] (src/domain/intercom-headers.ts, the
     * strings the FreeSWITCH generator sends; captured in test/fixtures/freeswitch/sip/sip-invite-intercom-dialtone.txt).
     * FreeSWITCH drops an Alert-Info not in `<…>` form, so every field is `<uri or token>;params`. FreeSWITCH also
     * sends "Call-Info: <sip:DOMAIN>;answer-after=0".
     */
    alertInfoFields: string[];
  };

  /** Queue-agent status on the phone ("Show Agent Status on LCD Display"); null when the extension is no queue agent. */
  agent: {
    /** Put an "Agent" key on the phone that opens the agent-status app (phoneApps.agentStatusUrl). */
    key: boolean;
    /** Label of that key, e.g. "Agent". */
    keyLabel: string;
    /** Show the agent status on the idle screen (Polycom idle browser; Yealink accepts pushed status objects). */
    idleScreenStatus: boolean;
    /** Polycom idle-browser refresh period in seconds (0 = never, else 5–3600). */
    idleRefreshSeconds: number;
  } | null;

  /**
   * Phone-app (XML browser) URLs, each already carrying the device's long random token (never derived from the MAC),
   * absolute http(s). Null when phone apps are disabled for this device.
   */
  phoneApps: {
    /** Visual voicemail entry screen. */
    voicemailUrl: string;
    /** Company directory entry screen. */
    directoryUrl: string;
    /** Agent status screen; `<agentStatusUrl>/idle` is the Polycom idle-display page when agent.idleScreenStatus. */
    agentStatusUrl: string;
    /**
     * Host or IP allowed to push XML objects to the phone (Yealink push_xml.server), or null to accept pushes only
     * through SIP NOTIFY from the registrar.
     */
    pushServerHost: string | null;
  } | null;

  /** Clock. */
  time: {
    /** IANA time zone of the PBX, e.g. "America/New_York". */
    timeZone: string;
    /**
     * Year whose daylight-saving transitions are turned into the phone's yearly DST rule. Passed in (never "now") so
     * output is deterministic; the rule is expressed as "n-th weekday of month" and so stays right in later years
     * for zones with weekday rules (US, EU).
     */
    referenceYear: number;
    /** NTP server host name or IP, or null to keep what DHCP provides. */
    ntpServer: string | null;
  };

  /** Phone's local web/menu admin password, per PBX (a secret). */
  adminPassword: string;

  /** Call waiting: a second call rings (beep) during a call. False = "Disable Call Waiting Indicator". */
  callWaiting: boolean;

  /** Missed-call list kept on the phone. False = "Disable Missed Call List". */
  missedCallList: boolean;
}

/** One SIP registration. */
export interface PhoneLine {
  /** Extension number (2–6 digits): the user part of the AOR and the number shown on the line key. */
  extension: string;
  /** Digest user name (usually the extension). */
  authUser: string;
  /** SIP digest password (a secret). */
  password: string;
  /** Caller name the phone presents (sanitised for display). */
  displayName: string;
  /** Text on the line key (sanitised for display), e.g. "1001 Alice". */
  label: string;
}

/** A mailbox whose message-waiting state the phone also shows. */
export interface WatchedMailbox {
  /** Mailbox number (digits). */
  mailbox: string;
  /** Short label, e.g. "Sales VM". */
  label: string;
  /**
   * The account FreeSWITCH sends this mailbox's message-waiting for, `user@domain`: what the phone SUBSCRIBEs to
   * (Event: message-summary). `vm_2001@acme.example` for a mailbox no same-numbered extension owns, `101@…` for
   * extension 101's own mailbox (src/domain/mailbox-identity.ts, shared with the FreeSWITCH generator).
   */
  account: string;
}

/** One speed-dial key: pressing it dials `dial`. */
export interface SpeedDial {
  /** Key text (sanitised for display). */
  label: string;
  /** Digits dialled (0-9 * #). */
  dial: string;
}

/** One busy-lamp entry. */
export interface BuddyEntry {
  /** What is watched: another extension, or a call-parking slot. */
  kind: 'extension' | 'park';
  /** Key text (sanitised for display). */
  label: string;
  /**
   * User part the phone subscribes to for dialog/presence state (the SUBSCRIBE request-URI user), e.g. "1002" or a
   * parking slot's presence id. Allowed: letters, digits and * # + . _ -.
   */
  watch: string;
  /** Digits dialled when the key is pressed (extension number, or the slot number to park to / retrieve from). */
  dial: string;
}
