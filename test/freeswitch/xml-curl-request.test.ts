// mod_xml_curl lookups: every captured FreeSWITCH 1.10.12 request parses into the expected typed request.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeFormComponent, parseForm } from '../../src/freeswitch/form-urlencoded';
import { notFoundDocument, XML_CURL_CONTENT_TYPE } from '../../src/freeswitch/xml-curl-not-found';
import { parseXmlCurlRequest, type XmlCurlRequest } from '../../src/freeswitch/xml-curl-request';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'freeswitch', 'xml_curl');

interface HttpMessage {
  startLine: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

function readHttp(name: string): HttpMessage {
  const bytes = readFileSync(join(DIR, name));
  const split = bytes.indexOf('\r\n\r\n');
  const [startLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers = lines.map(
    (l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string],
  );
  return { startLine, headers, body: bytes.subarray(split + 4) };
}

const header = (m: HttpMessage, name: string) => m.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

const CORE_UUID = '142636ca-4c54-4f6c-a8fa-c4403f01dfa8';

/** What each captured request must parse to (a subset of the fields, deep-compared). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'xml_curl-call-ivr.conf.http': {
    section: 'configuration',
    name: 'ivr.conf',
    module: 'ivr',
    menuName: 'demo_ivr',
    uuid: '55cd07cd-4f5f-443b-a419-a4096cfa36de',
    domain: 'acme.pbx.test',
    eventName: 'REQUEST_PARAMS',
  },
  'xml_curl-invite-dialplan-1001.http': {
    section: 'dialplan',
    uuid: '7966df81-42b0-4111-ba2a-f2d663b74887',
    context: 'default',
    destinationNumber: '1001',
    callerIdNumber: '1000',
    callerIdName: '1000',
    channelName: 'sofia/internal/1000@acme.pbx.test',
    direction: 'inbound',
    domain: 'acme.pbx.test',
    userName: '1000',
    networkAddress: '127.0.0.1',
    sipProfile: 'internal',
  },
  'xml_curl-invite-dialplan-intercom-11001.http': {
    section: 'dialplan',
    uuid: '26c7cb7d-a267-4b09-b2b9-bed49d39eeab',
    context: 'default',
    destinationNumber: '*11001',
    callerIdNumber: '1000',
    domain: 'acme.pbx.test',
  },
  'xml_curl-voicemail-deposit-2-dialplan-1002.http': {
    section: 'dialplan',
    uuid: 'd6c212bd-ceab-46d5-9342-d217543ce8d5',
    context: 'default',
    destinationNumber: '1002',
    callerIdNumber: '1000',
  },
  'xml_curl-register-sip_auth-1000.http': {
    section: 'directory',
    lookup: {
      action: 'sip_auth',
      user: '1000',
      domain: 'acme.pbx.test',
      ip: '127.0.0.1',
      sipAuth: {
        username: '1000',
        realm: 'acme.pbx.test',
        nonce: '8407530d-1c40-4da6-aac6-2e60127b2871',
        uri: 'sip:127.0.0.1:5060',
        qop: 'auth',
        cnonce: '6b8b4567',
        nc: '00000001',
        response: 'a3241c797a157ffcc7194f618ee11317',
        method: 'REGISTER',
      },
      profile: 'internal',
      userAgent: 'SIPp-phone',
      callId: '1-2607@127.0.0.1',
      fromUser: '1000',
      toUser: '1000',
    },
  },
  'xml_curl-invite-sip_auth-1000.http': {
    section: 'directory',
    lookup: { action: 'sip_auth', user: '1000', domain: 'acme.pbx.test', requestUser: '1001', toUser: '1001' },
    sipAuthMethod: 'INVITE',
  },
  'xml_curl-voicemail-deposit-1-sip_auth-1000.http': {
    section: 'directory',
    lookup: { action: 'sip_auth', user: '1000', domain: 'acme.pbx.test', requestUser: '1002' },
    sipAuthMethod: 'INVITE',
  },
  'xml_curl-served-directory-1001-request-sip_auth.http': {
    section: 'directory',
    lookup: { action: 'sip_auth', user: '1001', domain: 'acme.pbx.test' },
    sipAuthMethod: 'REGISTER',
  },
  'xml_curl-register-message-count-1000.http': {
    section: 'directory',
    eventName: 'GENERAL',
    lookup: { action: 'message-count', user: '1000', domain: 'acme.pbx.test' },
  },
  'xml_curl-served-directory-1001-request-message-count.http': {
    section: 'directory',
    lookup: { action: 'message-count', user: '1001', domain: 'acme.pbx.test' },
  },
  'xml_curl-voicemail-deposit-6-message-count-1002.http': {
    section: 'directory',
    lookup: { action: 'message-count', user: '1002', domain: 'acme.pbx.test' },
  },
  'xml_curl-voicemail-deposit-5-voicemail-lookup-1002.http': {
    section: 'directory',
    callingFunction: 'voicemail_leave_main',
    lookup: { action: 'voicemail-lookup', user: '1002', domain: 'acme.pbx.test', ip: '127.0.0.1' },
  },
  'xml_curl-invite-user_call-1001.http': {
    section: 'directory',
    lookup: {
      action: 'user_call',
      user: '1001',
      domain: 'acme.pbx.test',
      exportVars: new Map([
        ['RFC2822_DATE', 'Wed, 25 Nov 2026 18:29:51 +0000'],
        ['dialed_extension', '1001'],
      ]),
    },
  },
  'xml_curl-voicemail-deposit-4-user_call-1002.http': {
    section: 'directory',
    lookup: {
      action: 'user_call',
      user: '1002',
      domain: 'acme.pbx.test',
      exportVars: new Map([
        ['RFC2822_DATE', 'Wed, 25 Nov 2026 18:33:12 +0000'],
        ['dialed_extension', '1002'],
      ]),
    },
  },
  'xml_curl-originate-user_call-1000.http': {
    section: 'directory',
    lookup: { action: 'user_call', user: '1000', domain: 'acme.pbx.test', exportVars: new Map() },
  },
  'xml_curl-invite-user_data-1001.http': {
    section: 'directory',
    callingFunction: 'user_data_function',
    lookup: { action: 'user_data', user: '1001', domain: 'acme.pbx.test', dataType: 'var' },
  },
  'xml_curl-voicemail-deposit-3-user_data-1002.http': {
    section: 'directory',
    lookup: { action: 'user_data', user: '1002', domain: 'acme.pbx.test', dataType: 'var' },
  },
  'xml_curl-user_exists-1000.http': {
    section: 'directory',
    callingFunction: 'switch_xml_locate_user',
    lookup: { action: 'user', user: '1000', domain: 'acme.pbx.test', key: 'id' },
  },
  'xml_curl-user_exists-1999.http': {
    section: 'directory',
    lookup: { action: 'user', user: '1999', domain: 'acme.pbx.test', key: 'id' },
  },
  'xml_curl-vm_inject-publish-vm-1000.http': {
    section: 'directory',
    lookup: { action: 'publish-vm', user: '1000', domain: 'acme.pbx.test' },
  },
  'xml_curl-startup-07-directory-gateways.http': {
    section: 'directory',
    tagName: '',
    keyValue: '',
    lookup: { action: 'gateways', profile: 'external' },
  },
  'xml_curl-startup-08-directory-gateways.http': {
    section: 'directory',
    lookup: { action: 'gateways', profile: 'internal' },
  },
  'xml_curl-startup-29-directory-network-list.http': {
    section: 'directory',
    eventName: 'GENERAL',
    lookup: { action: 'network-list', domain: 'acme.pbx.test' },
  },
  'xml_curl-startup-04-configuration-sofia.conf.http': {
    section: 'configuration',
    name: 'sofia.conf',
    module: 'sofia',
    eventName: 'REQUEST_PARAMS',
    profile: undefined,
  },
  'xml_curl-startup-05-configuration-sofia.conf.http': {
    section: 'configuration',
    name: 'sofia.conf',
    profile: 'external',
  },
  'xml_curl-startup-06-configuration-sofia.conf.http': {
    section: 'configuration',
    name: 'sofia.conf',
    profile: 'internal',
  },
  'xml_curl-startup-10-configuration-conference.conf.http': {
    section: 'configuration',
    name: 'conference.conf',
    module: 'conference',
    eventName: 'COMMAND',
    presence: true,
  },
  'xml_curl-reload-mod_conference-conference.conf.http': {
    section: 'configuration',
    name: 'conference.conf',
    presence: true,
  },
};

/** Module configuration lookups that carry only the five base fields. */
const BARE_CONFIGURATION: Record<string, string> = {
  'xml_curl-reload-mod_callcenter-callcenter.conf.http': 'callcenter.conf',
  'xml_curl-reload-mod_directory-directory.conf.http': 'directory.conf',
  'xml_curl-reload-mod_json_cdr-json_cdr.conf.http': 'json_cdr.conf',
  'xml_curl-reload-mod_local_stream-local_stream.conf.http': 'local_stream.conf',
  'xml_curl-reload-mod_voicemail-voicemail.conf-1.http': 'voicemail.conf',
  'xml_curl-reload-mod_voicemail-voicemail.conf-2.http': 'voicemail.conf',
  'xml_curl-reload-mod_xml_cdr-xml_cdr.conf.http': 'xml_cdr.conf',
  'xml_curl-reloadxml-01-spandsp.conf.http': 'spandsp.conf',
  'xml_curl-reloadxml-02-enum.conf.http': 'enum.conf',
  'xml_curl-reloadxml-03-loopback.conf.http': 'loopback.conf',
  'xml_curl-reloadxml-04-timezones.conf.http': 'timezones.conf',
  'xml_curl-startup-01-configuration-xml_cdr.conf.http': 'xml_cdr.conf',
  'xml_curl-startup-02-configuration-cdr_csv.conf.http': 'cdr_csv.conf',
  'xml_curl-startup-03-configuration-json_cdr.conf.http': 'json_cdr.conf',
  'xml_curl-startup-09-configuration-loopback.conf.http': 'loopback.conf',
  'xml_curl-startup-11-configuration-db.conf.http': 'db.conf',
  'xml_curl-startup-12-configuration-fifo.conf.http': 'fifo.conf',
  'xml_curl-startup-13-configuration-hash.conf.http': 'hash.conf',
  'xml_curl-startup-14-configuration-voicemail.conf.http': 'voicemail.conf',
  'xml_curl-startup-15-configuration-voicemail.conf.http': 'voicemail.conf',
  'xml_curl-startup-16-configuration-directory.conf.http': 'directory.conf',
  'xml_curl-startup-17-configuration-directory.conf.http': 'directory.conf',
  'xml_curl-startup-18-configuration-httapi.conf.http': 'httapi.conf',
  'xml_curl-startup-19-configuration-spandsp.conf.http': 'spandsp.conf',
  'xml_curl-startup-20-configuration-opus.conf.http': 'opus.conf',
  'xml_curl-startup-21-configuration-sndfile.conf.http': 'sndfile.conf',
  'xml_curl-startup-22-configuration-shout.conf.http': 'shout.conf',
  'xml_curl-startup-23-configuration-local_stream.conf.http': 'local_stream.conf',
  'xml_curl-startup-24-configuration-lua.conf.http': 'lua.conf',
  'xml_curl-startup-25-configuration-callcenter.conf.http': 'callcenter.conf',
  'xml_curl-startup-26-configuration-post_load_modules.conf.http': 'post_load_modules.conf',
  'xml_curl-startup-27-configuration-event_socket.conf.http': 'event_socket.conf',
  'xml_curl-startup-28-configuration-acl.conf.http': 'acl.conf',
  'xml_curl-startup-30-configuration-post_load_switch.conf.http': 'post_load_switch.conf',
  'xml_curl-vm_inject-voicemail.conf.http': 'voicemail.conf',
};

function pick(request: XmlCurlRequest, expected: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = request as unknown as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected)) {
    if (key === 'sipAuthMethod') {
      out[key] =
        request.section === 'directory' && request.lookup.action === 'sip_auth'
          ? request.lookup.sipAuth.method
          : undefined;
    } else if (key === 'lookup' && want && typeof want === 'object') {
      const lookup = source.lookup as Record<string, unknown>;
      out[key] = Object.fromEntries(Object.keys(want).map((k) => [k, lookup?.[k]]));
    } else {
      out[key] = source[key];
    }
  }
  return out;
}

describe('freeswitch/xml-curl-request', () => {
  const requestFiles = readdirSync(DIR)
    .filter((f) => f.endsWith('.http') && !f.includes('-response'))
    .sort();

  it('covers every captured request with an expectation', () => {
    const covered = new Set([...Object.keys(EXPECTED), ...Object.keys(BARE_CONFIGURATION)]);
    expect(requestFiles.filter((f) => !covered.has(f))).to.deep.equal([]);
    expect([...covered].filter((f) => !requestFiles.includes(f))).to.deep.equal([]);
    expect(requestFiles.length).to.equal(63);
  });

  for (const file of requestFiles) {
    it(file, () => {
      const message = readHttp(file);
      expect(message.startLine).to.equal('POST /xml_curl HTTP/1.1');
      expect(header(message, 'Content-Type')).to.equal('application/x-www-form-urlencoded');
      expect(Number(header(message, 'Content-Length'))).to.equal(message.body.length);

      const request = parseXmlCurlRequest(message.body);
      expect(request.hostname).to.equal('fs1');
      const bare = BARE_CONFIGURATION[file];
      if (bare) {
        expect(request).to.include({ section: 'configuration', name: bare, module: bare.replace(/\.conf$/, '') });
        expect(request.eventName).to.equal(undefined);
        expect(request.fields.size).to.equal(5);
        expect(request).to.include({ tagName: 'configuration', keyName: 'name', keyValue: bare });
        return;
      }
      const expected = EXPECTED[file];
      expect(pick(request, expected)).to.deep.equal(expected);
      if (request.eventName) expect(request.coreUuid).to.equal(CORE_UUID);
    });
  }

  it('decodes event fields the lenient way FreeSWITCH writes them (raw commas, %XX)', () => {
    const request = parseXmlCurlRequest(readHttp('xml_curl-startup-04-configuration-sofia.conf.http').body);
    expect(request.fields.get('Event-Date-GMT')).to.equal('Wed, 25 Nov 2026 18:27:35 GMT');
    expect(request.fields.get('FreeSWITCH-IPv6')).to.equal('::1');
  });

  it('keeps multi-line variables of a dialplan lookup (SDP) intact', () => {
    const request = parseXmlCurlRequest(readHttp('xml_curl-invite-dialplan-1001.http').body);
    if (request.section !== 'dialplan') throw new Error('expected a dialplan request');
    expect(request.variables.get('switch_r_sdp')).to.match(/^v=0\r\no=user1 /);
    expect(request.variables.get('sip_full_from')).to.equal('"1000" <sip:1000@acme.pbx.test>;tag=4503SIPpTag001');
    expect(request.variables.get('user_context')).to.equal('default');
  });

  it('the served directory document was answered to a sip_auth for user 1001', () => {
    const response = readHttp('xml_curl-served-directory-1001-response.http');
    expect(response.startLine).to.equal('HTTP/1.1 200 OK');
    const request = parseXmlCurlRequest(readHttp('xml_curl-served-directory-1001-request-sip_auth.http').body);
    expect(request.section === 'directory' && request.lookup.action === 'sip_auth' && request.lookup.user).to.equal(
      '1001',
    );
  });

  describe('hostile and malformed bodies', () => {
    const cases: Array<[string, string, Partial<Record<string, unknown>>]> = [
      ['empty body', '', { section: 'unknown', rawSection: '', hostname: '' }],
      [
        'unknown section',
        'hostname=fs1&section=phrases&tag_name=&key_name=&key_value=',
        { section: 'unknown', rawSection: 'phrases' },
      ],
      ['bad escapes stay literal', 'hostname=fs%zz1&section=%', { hostname: 'fs%zz1', section: 'unknown' }],
      [
        'non-UTF-8 bytes',
        'hostname=%FF%FE&section=configuration&key_value=x.conf',
        { hostname: '\uFFFD\uFFFD', name: 'x.conf' },
      ],
      [
        'repeated field: first wins',
        'section=dialplan&section=directory&Hunt-Context=a',
        { section: 'dialplan', context: 'a' },
      ],
      [
        'directory without user',
        'section=directory&tag_name=domain&key_name=name&key_value=a.b',
        { section: 'directory' },
      ],
    ];
    for (const [title, body, want] of cases) {
      it(title, () => {
        const request = parseXmlCurlRequest(body) as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(want)) expect(request[k], k).to.deep.equal(v);
      });
    }

    it('an injected user name is carried as data, never interpreted', () => {
      const body =
        'section=directory&tag_name=domain&key_name=name&key_value=a.b&user=%24%7Bsystem(reboot)%7D&domain=a.b&key=id';
      const request = parseXmlCurlRequest(body);
      expect(request.section === 'directory' && request.lookup).to.deep.equal({
        action: 'user',
        user: '${system(reboot)}',
        domain: 'a.b',
        key: 'id',
      });
    });

    it('a domain-only directory lookup is a domain lookup', () => {
      const request = parseXmlCurlRequest('section=directory&tag_name=domain&key_name=name&key_value=a.b');
      expect(request.section === 'directory' && request.lookup).to.deep.equal({ action: 'domain', domain: 'a.b' });
    });
  });

  describe('form decoding', () => {
    it('treats + as a space and %2B as a plus', () => {
      expect(decodeFormComponent('a+b%2Bc')).to.equal('a b+c');
      expect(parseForm('x=1&&y&z=%E2%9C%93').get('z')).to.equal('✓');
      expect(parseForm('x=1&&y&z=%E2%9C%93').get('y')).to.equal('');
    });

    it('keeps literal non-ASCII characters (astral ones too) beside escapes, and bad escapes literal', () => {
      expect(decodeFormComponent('é+😀%21')).to.equal('é 😀!');
      expect(decodeFormComponent('100%+%zz%4')).to.equal('100% %zz%4');
      expect(decodeFormComponent('%F0%9F%98%80')).to.equal('😀');
      expect(decodeFormComponent('%FF+x')).to.equal('\uFFFD x');
    });
  });

  describe('not-found document', () => {
    it('is byte for byte what FreeSWITCH was served', () => {
      const response = readHttp('xml_curl-response-not-found.http');
      expect(response.body.toString('utf8')).to.equal(notFoundDocument());
      expect(Buffer.byteLength(notFoundDocument())).to.equal(Number(header(response, 'Content-Length')));
      expect(header(response, 'Content-Type')).to.equal(XML_CURL_CONTENT_TYPE);
    });
  });
});
