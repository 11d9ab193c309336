// The SIP headers of intercom calls: what the generator asks FreeSWITCH to send on `*1`+extension calls and what the
// provisioning server configures phones to auto-answer. One definition, so the two can never drift apart.
//
// FreeSWITCH (sofia-sip 1.13.17) parses Alert-Info before sending it: a value not in `<…>` form is dropped
// ("Ring Answer"; test/fixtures/freeswitch/README.md), and a comma-separated list goes out as one Alert-Info line per
// field. So intercom calls carry two fields (captured: test/fixtures/freeswitch/sip/sip-invite-intercom-dialtone.txt):
//  - `<http://HOST>;info=alert-autoanswer;delay=0`, which phones match by its URI or its info parameter;
//  - `<Ring Answer>`: the bare token working Polycom deployments map (voIpProt.SIP.alertInfo.N.value = "Ring Answer"),
//    in the only form FreeSWITCH passes on, so the intercom answers whichever part of a field the firmware compares.

/** The token Polycom deployments match for auto-answer. */
export const INTERCOM_ANSWER_TOKEN = 'Ring Answer';

/** Alert-Info fields a called phone receives on an intercom call, in order, one header line each. */
export function intercomAlertInfoFields(host: string): string[] {
  return [`<http://${host}>;info=alert-autoanswer;delay=0`, `<${INTERCOM_ANSWER_TOKEN}>`];
}

/** The `alert_info` channel variable: the fields as one header value (FreeSWITCH splits it at the comma). */
export function intercomAlertInfo(host: string): string {
  return intercomAlertInfoFields(host).join(', ');
}

/** Call-Info value of intercom calls, e.g. `<sip:acme.pbx.example.net>;answer-after=0`. */
export function intercomCallInfo(domain: string): string {
  return `<sip:${domain}>;answer-after=0`;
}
