// Name, usage and summary of every command, without their code: `dialtone --help` and usage errors are answered from
// here alone, so they load no database or service code (commands.ts, which holds the code, is imported only to run
// one). test/cli/command-table.test.ts keeps this table equal to the commands' own usage and summary.

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
}

export const COMMAND_TABLE: readonly CommandSpec[] = [
  {
    name: 'pbx create',
    usage: 'pbx create --context CTX --name NAME [--domain D] [--timezone TZ]',
    summary: 'create a PBX (tenant)',
  },
  {
    name: 'pbx set',
    usage: 'pbx set --pbx CTX --tftp-credentials on|off [--json]',
    summary: 'operator-only PBX settings: serve phone credentials over TFTP (closed LANs only; TFTP has no login)',
  },
  {
    name: 'user create',
    usage: 'user create --pbx CTX --username U --password P --type admin|employee [--extension N]',
    summary: 'create a portal user; an employee needs their extension number',
  },
  {
    name: 'demo',
    usage: 'demo --context CTX',
    summary: 'seed the demo PBX under CTX (running it again changes nothing)',
  },
  {
    name: 'list',
    usage:
      'list KIND --pbx CTX [--json]   (KIND: extensions, mailboxes, numbers, e911, attendants, time-frames, holidays, groups, conferences, conference-hubs, queues, hold-music, call-blocks, trunks, devices, audio, users, listen-live, pbxs)',
    summary: 'list the objects of one kind in a PBX',
  },
  {
    name: 'device add',
    usage:
      'device add --pbx CTX --mac MAC --model MODEL --extension EXT[,EXT…] [--blf EXT,EXT…] [--park SLOT,…] [--label TEXT] [--json]',
    summary: 'add a phone; prints its provisioning username and password (shown once). MODEL: profile id or "VVX 450"',
  },
  {
    name: 'device arm',
    usage: 'device arm MAC [--minutes N] [--json]',
    summary: 'open the provisioning window: the phone may fetch its config once without credentials (default 15 min)',
  },
  {
    name: 'device list',
    usage: 'device list --pbx CTX [--json]',
    summary: 'list the phones of a PBX with their lines, window and last fetch',
  },
  {
    name: 'device rotate',
    usage: 'device rotate MAC [--json]',
    summary: 'give a phone a new provisioning password (printed once); the old one stops working at once',
  },
  {
    name: 'number add',
    usage: 'number add --pbx CTX --number N [--toll-free] [--state XX] [--route-to DEST] [--json]',
    summary: 'assign a phone number to a PBX (it rings nobody until routed: default route is hang up)',
  },
  {
    name: 'number set',
    usage: 'number set --pbx CTX --number N [--toll-free yes|no] [--new-number M] [--json]',
    summary: 'change what only the operator may change of a number: toll-free, or the number itself',
  },
  {
    name: 'number remove',
    usage: 'number remove --pbx CTX --number N [--json]',
    summary: 'take a phone number back from a PBX (refused while something routes to it or uses it for E911)',
  },
  {
    name: 'api-token create',
    usage: 'api-token create --pbx CTX --username U [--name NAME] [--json]',
    summary: 'create an API token acting as that user; prints the token once (only its hash is stored)',
  },
  {
    name: 'api-token list',
    usage: 'api-token list --pbx CTX [--username U] [--json]',
    summary: 'list the API tokens of a PBX (or of one user): name, start of the token, last use, revoked',
  },
  {
    name: 'api-token revoke',
    usage: 'api-token revoke --pbx CTX --id N [--json]',
    summary: 'revoke an API token at once (it answers 401 from the next request on)',
  },
  {
    name: 'freeswitch export',
    usage:
      'freeswitch export --out DIR [--mode static|live] [--pbx CONTEXT] [--sip-ip ADDR] [--external-ip ADDR] [--sip-port N] [--esl-ip ADDR] [--esl-port N] [--esl-password PW] [--sounds-dir DIR] [--lang-dir DIR] [--no-sounds-check] [--audio-dir DIR] [--audio-out DIR] [--push USER@HOST[:PORT]:/DIR (--push-key FILE | --push-password PW)] [--reload]',
    summary:
      'write the FreeSWITCH conf tree atomically: --mode static (default) writes every file and FreeSWITCH never asks Dialtone; --mode live binds mod_xml_curl to PUBLIC_URL and writes only the base and trunk gateways; the export fails when the prompts or phrase files the PBXs play are missing below --sounds-dir / --lang-dir on the FreeSWITCH host (FREESWITCH_SOUNDS_DIR, FREESWITCH_LANG_DIR); --audio-out copies the audio it plays (greetings, tracks) to DIR/<context>/; --push uploads the audio to --audio-dir (default FREESWITCH_AUDIO_DIR) and the tree over SFTP; --reload runs reloadxml over the event socket (ESL_HOST/ESL_PORT)',
  },
  {
    name: 'provisioning publish',
    usage:
      'provisioning publish --pbx CONTEXT --to ftp://USER@HOST[:PORT]/DIR|sftp://USER@HOST[:PORT]/DIR (--password PW | --key FILE) --base-url URL [--ftps] [--ca FILE] [--host-key SHA256] [--firmware-url URL] [--json]',
    summary:
      "render every provisioning file of a PBX and push it to the site's FTP/SFTP server (--base-url: the http(s) URL the phones fetch those files from)",
  },
  {
    name: 'cdr import',
    usage: 'cdr import DIR [--settle-seconds N] [--json]',
    summary:
      "import FreeSWITCH's call-record files (mod_json_cdr/mod_xml_cdr err-log-dir, rotate subfolders too): each call is stored once, imported files move to DIR/.imported/, files unreadable for longer than --settle-seconds (default 300) to DIR/.failed/",
  },
  {
    name: 'jobs list',
    usage: 'jobs list [--job NAME] [--limit N] [--json]',
    summary:
      "the scheduled jobs' runs, newest first: node, slot, start, end, status, what each did or its error (jobs: cdr-import, call-record-retention, voicemail-retention)",
  },
];

/** The command a command line names: a two-word command first (`device add`), else a one-word one (`list`). */
export function findCommand(first: string, second: string | undefined): CommandSpec | undefined {
  return COMMAND_TABLE.find((c) => c.name === `${first} ${second}`) ?? COMMAND_TABLE.find((c) => c.name === first);
}
