// The exact SIP headers FreeSWITCH puts on intercom INVITEs: phones are configured to auto-answer these and nothing else.
//
// FreeSWITCH (sofia-sip) silently drops an Alert-Info that is not in URI form ("Ring Answer"), so the auto-answer hint
// travels as a URI-form Alert-Info plus Call-Info answer-after=0 (test/fixtures/freeswitch/README.md,
// sip-invite-intercom-uri-alert-info.txt). The FreeSWITCH generator must send these strings byte for byte: it sets
// `alert_info=<intercomAlertInfo(host)>` and `sip_h_Call-Info=<intercomCallInfo(domain)>` on `*1`+extension calls.

/** Alert-Info value of intercom calls, e.g. `<http://pbx.example.net>;info=alert-autoanswer;delay=0`. */
export function intercomAlertInfo(host: string): string {
  return `<http://${host}>;info=alert-autoanswer;delay=0`;
}

/** Call-Info value of intercom calls, e.g. `<sip:acme.pbx.example.net>;answer-after=0`. */
export function intercomCallInfo(domain: string): string {
  return `<sip:${domain}>;answer-after=0`;
}
