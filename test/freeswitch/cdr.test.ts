// CDR intake: every captured mod_json_cdr / mod_xml_cdr post becomes the expected call record; bad posts get 4xx.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CallRecordInput } from '../../src/freeswitch/cdr/call-record';
import { parseCdrPost, unwrapCdrBody } from '../../src/freeswitch/cdr/cdr-post';
import { credentialsMatch, decideCdrIntake } from '../../src/freeswitch/cdr/intake-decision';
import { parseJsonCdr } from '../../src/freeswitch/cdr/json-cdr';
import { CdrParseError } from '../../src/freeswitch/cdr/raw-leg';
import { parseXmlStrict, XmlSyntaxError } from '../../src/freeswitch/xml-strict';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'freeswitch', 'cdr');
const DIALTONE_TREE_DIR = join(import.meta.dirname, '..', 'fixtures', 'freeswitch', 'dialtone-tree', 'cdr');

interface Post {
  requestLine: string;
  contentType: string;
  userAgent: string;
  contentLength: number;
  body: Buffer;
}

function readPost(name: string, dir = DIR): Post {
  const bytes = readFileSync(join(dir, name));
  const split = bytes.indexOf('\r\n\r\n');
  const [requestLine, ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const header = (n: string) =>
    lines
      .find((l) => l.toLowerCase().startsWith(`${n.toLowerCase()}:`))
      ?.slice(n.length + 1)
      .trim() ?? '';
  return {
    requestLine,
    contentType: header('Content-Type'),
    userAgent: header('User-Agent'),
    contentLength: Number(header('Content-Length')),
    body: bytes.subarray(split + 4),
  };
}

const A_ANSWERED = '7966df81-42b0-4111-ba2a-f2d663b74887';
const B_ANSWERED = '67f2b68c-18a9-450c-85fb-e6d89cf216bf';
const A_BUSY = '8feabe20-bfe1-4a1d-a0f3-ae5325f5bcf1';
const B_BUSY = '61d2179a-156a-4696-b66a-183753da9640';
const A_VOICEMAIL = 'd6c212bd-ceab-46d5-9342-d217543ce8d5';
const LOOPBACK_A = '079f68e8-578d-4062-bc53-c7f5b9fabe3b';
const LOOPBACK_B = '0ed8861f-6ed0-404b-a13a-8c14658b5c40';
const A_ECHO = 'e4d5154b-a4ea-4ed8-a72e-432814e93ac3';
const A_500 = 'ddab8572-7720-4e57-82b7-69349bde9f9b';

const extensionCall = {
  kind: 'a',
  countsForActivity: true,
  direction: 'local',
  channelDirection: 'inbound',
  isLoopbackLeg: false,
  domain: 'acme.pbx.test',
  context: 'default',
  userName: '1000',
  callerIdNumber: '1000',
  callerIdName: 'Extension 1000',
  channelName: 'sofia/internal/1000@acme.pbx.test',
  switchname: 'fs1',
} as const;

const answeredA = {
  ...extensionCall,
  uuid: A_ANSWERED,
  bLegUuid: B_ANSWERED,
  destinationNumber: '1001',
  startedAt: new Date('2026-11-25T18:29:51.065Z'),
  answeredAt: new Date('2026-11-25T18:29:51.625Z'),
  endedAt: new Date('2026-11-25T18:29:59.685Z'),
  durationSec: 8,
  billSec: 8,
  hangupCause: 'NORMAL_CLEARING',
  disposition: 'answered',
  dialedUser: '1001',
  calleeIdNumber: '1001',
  presentedNumber: '1000',
  sipTermStatus: '200',
  sipHangupDisposition: 'recv_bye',
};

const busyA = {
  ...extensionCall,
  uuid: A_BUSY,
  bLegUuid: B_BUSY,
  destinationNumber: '*21001',
  startedAt: new Date('2026-11-25T18:31:54.485Z'),
  endedAt: new Date('2026-11-25T18:31:55.525Z'),
  durationSec: 1,
  billSec: 0,
  hangupCause: 'USER_BUSY',
  disposition: 'busy',
  dialedUser: '1001',
  sipHangupDisposition: 'send_refuse',
};

const voicemailA = {
  ...extensionCall,
  uuid: A_VOICEMAIL,
  bLegUuid: LOOPBACK_A,
  destinationNumber: '1002',
  startedAt: new Date('2026-11-25T18:33:12.125Z'),
  answeredAt: new Date('2026-11-25T18:33:12.165Z'),
  endedAt: new Date('2026-11-25T18:33:25.205Z'),
  durationSec: 13,
  billSec: 13,
  hangupCause: 'NORMAL_CLEARING',
  // Vanilla bridges an unregistered user to loopback/app=voicemail: the caller reached voicemail.
  disposition: 'voicemail',
  dialedUser: '1002',
  sipTermStatus: '200',
  sipHangupDisposition: 'recv_bye',
};

const loopbackB = {
  uuid: LOOPBACK_B,
  kind: 'loopback-b',
  countsForActivity: false,
  aLegUuid: A_VOICEMAIL,
  channelDirection: 'inbound',
  isLoopbackLeg: true,
  domain: 'acme.pbx.test',
  context: 'default',
  callerIdNumber: '1000',
  callerIdName: 'Extension 1000',
  destinationNumber: 'voicemail',
  durationSec: 12,
  billSec: 0,
  hangupCause: 'ORIGINATOR_CANCEL',
  voicemailMessageUuid: LOOPBACK_B,
  voicemailMailbox: '1002',
  voicemailDomain: 'acme.pbx.test',
  channelName: 'loopback/voicemail-b',
};

const echoA = {
  ...extensionCall,
  uuid: A_ECHO,
  destinationNumber: '9196',
  startedAt: new Date('2026-11-25T18:37:14.905Z'),
  answeredAt: new Date('2026-11-25T18:37:14.905Z'),
  endedAt: new Date('2026-11-25T18:37:16.925Z'),
  durationSec: 2,
  billSec: 2,
  hangupCause: 'NORMAL_CLEARING',
  disposition: 'answered',
  sipTermStatus: '200',
};

/** Expected record (subset) for every captured post. */
const EXPECTED: Record<string, Partial<Record<keyof CallRecordInput, unknown>>> = {
  'cdr-answered-json_cdr-a-leg.http': { ...answeredA, source: 'json_cdr' },
  'cdr-answered-xml_cdr-a-leg.http': { ...answeredA, source: 'xml_cdr' },
  'cdr-answered-json_cdr-b-leg.http': {
    uuid: B_ANSWERED,
    kind: 'b',
    countsForActivity: false,
    aLegUuid: A_ANSWERED,
    channelDirection: 'outbound',
    isLoopbackLeg: false,
    destinationNumber: '1001',
    channelName: 'sofia/internal/1001@127.0.0.1:25071',
    billSec: 8,
    hangupCause: 'NORMAL_CLEARING',
    sipHangupDisposition: 'send_bye',
  },
  'cdr-busy-json_cdr-a-leg.http': { ...busyA, source: 'json_cdr' },
  'cdr-busy-xml_cdr-a-leg.http': { ...busyA, source: 'xml_cdr' },
  'cdr-busy-json_cdr-b-leg.http': {
    uuid: B_BUSY,
    kind: 'b',
    countsForActivity: false,
    aLegUuid: A_BUSY,
    destinationNumber: '1001',
    billSec: 0,
    hangupCause: 'USER_BUSY',
    sipTermStatus: '486',
    sipHangupDisposition: 'recv_refuse',
  },
  'cdr-voicemail-json_cdr-a-leg.http': { ...voicemailA, source: 'json_cdr', voicemailMessageUuid: undefined },
  'cdr-voicemail-xml_cdr-a-leg.http': { ...voicemailA, source: 'xml_cdr', voicemailMessageUuid: undefined },
  'cdr-voicemail-json_cdr-loopback-a.http': {
    uuid: LOOPBACK_A,
    kind: 'loopback-a',
    countsForActivity: false,
    aLegUuid: A_VOICEMAIL,
    isLoopbackLeg: true,
    channelName: 'loopback/voicemail-a',
    hangupCause: 'ORIGINATOR_CANCEL',
    voicemailMessageUuid: undefined,
  },
  'cdr-voicemail-json_cdr-loopback-b.http': { ...loopbackB, source: 'json_cdr' },
  'cdr-voicemail-xml_cdr-loopback-b.http': { ...loopbackB, source: 'xml_cdr' },
  'cdr-echo-json_cdr-encode-values-true.http': { ...echoA, source: 'json_cdr' },
  'cdr-echo-xml_cdr-encode-false.http': { ...echoA, source: 'xml_cdr' },
  'cdr-500-json_cdr-try1.http': {
    ...extensionCall,
    uuid: A_500,
    destinationNumber: '9196',
    billSec: 2,
    source: 'json_cdr',
  },
  'cdr-500-xml_cdr-try1.http': {
    ...extensionCall,
    uuid: A_500,
    destinationNumber: '9196',
    billSec: 2,
    source: 'xml_cdr',
  },
};

const CREDENTIALS = { username: 'fs1', password: 'cdr-Secret.42' };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

function pick(record: CallRecordInput, keys: string[]): Record<string, unknown> {
  const source = record as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, source[k]]));
}

describe('freeswitch/cdr intake', () => {
  const posts = readdirSync(DIR)
    .filter((f) => f.endsWith('.http') && !f.startsWith('cdr-response'))
    .sort();

  it('has an expectation for every captured post', () => {
    expect(posts).to.have.members(Object.keys(EXPECTED));
  });

  describe('each captured post parses to its call record', () => {
    for (const file of posts) {
      it(file, () => {
        const post = readPost(file);
        expect(post.contentLength).to.equal(post.body.length);
        expect(post.requestLine).to.match(/^POST \/(json|xml)_cdr\?uuid=(a_)?[0-9a-f-]{36} HTTP\/1\.1$/);
        const record = parseCdrPost(post.contentType, post.body);
        const expected = EXPECTED[file];
        expect(pick(record, Object.keys(expected))).to.deep.equal(expected);
        // The query string names the same channel (a_ is mod_xml_cdr's prefix-a-leg).
        expect(post.requestLine).to.include(record.uuid);
      });
    }
  });

  it('carries what a record-greeting call recorded, and where (captured from a real recording call on a Dialtone tree)', () => {
    // Dialtone's base config (basic auth, disable-100-continue) makes libcurl label the raw JSON form-urlencoded.
    const post = readPost('cdr-record-greeting-json_cdr-a-leg.http', DIALTONE_TREE_DIR);
    expect(post.contentType).to.equal('application/x-www-form-urlencoded');
    expect(post.body.subarray(0, 1).toString()).to.equal('{');
    const record = parseCdrPost(post.contentType, post.body);
    expect(record.phoneRecording).to.deep.equal({
      what: 'mailbox-4-unavailable',
      file: '/tmp/dialtone-e2e-wvcZKO/audio/acme/phone-mailbox-4-unavailable-9b984d12-a992-481a-a63a-5d568c797d43.wav',
    });
    expect(record.uuid).to.equal('9b984d12-a992-481a-a63a-5d568c797d43');
    expect(record.countsForActivity).to.equal(true);
    // What FreeSWITCH says about the recording itself (record_ms and friends), next to Dialtone's variables.
    const variables = JSON.parse(post.body.toString('utf8')).variables;
    expect(variables).to.include({
      record_ms: '6830',
      record_seconds: '6',
      record_samples: '54640',
      record_file_size: '109324',
    });
    expect(
      parseCdrPost(
        readPost('cdr-answered-json_cdr-a-leg.http').contentType,
        readPost('cdr-answered-json_cdr-a-leg.http').body,
      ).phoneRecording,
    ).to.equal(undefined);
    const intake = decideCdrIntake(
      {
        method: 'POST',
        contentType: post.contentType,
        authorization: basic('freeswitch', 'e2e-curl-secret'),
        body: post.body,
      },
      { username: 'freeswitch', password: 'e2e-curl-secret' },
    );
    expect(intake.status).to.equal(200);
  });

  it('counts exactly one record per call: the non-loopback a-leg', () => {
    const counted = posts
      .map((f) => parseCdrPost(readPost(f).contentType, readPost(f).body))
      .filter((r) => r.countsForActivity);
    const calls = new Set(counted.map((r) => r.uuid));
    expect([...calls].sort()).to.deep.equal([A_500, A_ANSWERED, A_BUSY, A_ECHO, A_VOICEMAIL].sort());
    expect(counted.every((r) => r.kind === 'a' && !r.isLoopbackLeg)).to.equal(true);
  });

  it('links the voicemail message back to the counted a-leg through the loopback leg', () => {
    const loopback = parseCdrPost(
      readPost('cdr-voicemail-json_cdr-loopback-b.http').contentType,
      readPost('cdr-voicemail-json_cdr-loopback-b.http').body,
    );
    expect(loopback.aLegUuid).to.equal(A_VOICEMAIL);
    expect(loopback.voicemailMessageUuid).to.equal(LOOPBACK_B);
  });

  it('JSON and XML posts of the same call give the same record, whatever the encoding', () => {
    const without = (r: CallRecordInput) => ({ ...r, source: undefined });
    for (const [json, xml] of [
      ['cdr-answered-json_cdr-a-leg.http', 'cdr-answered-xml_cdr-a-leg.http'],
      ['cdr-busy-json_cdr-a-leg.http', 'cdr-busy-xml_cdr-a-leg.http'],
      ['cdr-voicemail-json_cdr-a-leg.http', 'cdr-voicemail-xml_cdr-a-leg.http'],
      ['cdr-voicemail-json_cdr-loopback-b.http', 'cdr-voicemail-xml_cdr-loopback-b.http'],
      ['cdr-echo-json_cdr-encode-values-true.http', 'cdr-echo-xml_cdr-encode-false.http'],
      ['cdr-500-json_cdr-try1.http', 'cdr-500-xml_cdr-try1.http'],
    ]) {
      const a = parseCdrPost(readPost(json).contentType, readPost(json).body);
      const b = parseCdrPost(readPost(xml).contentType, readPost(xml).body);
      expect(without(a), `${json} vs ${xml}`).to.deep.equal(without(b));
    }
  });

  it('URL-decodes variables of encode-values=true JSON, and not those of plain JSON', () => {
    const encoded = parseJsonCdr(
      unwrapCdrBody('application/json', readPost('cdr-echo-json_cdr-encode-values-true.http').body),
    );
    expect(encoded.variables.get('caller_id')).to.equal('"1000" <1000>');
    expect(encoded.variables.get('RFC2822_DATE')).to.equal('Wed, 25 Nov 2026 18:37:14 +0000');
    const plain = parseJsonCdr(unwrapCdrBody('application/json', readPost('cdr-answered-json_cdr-a-leg.http').body));
    expect(plain.variables.get('ringback')).to.equal('%(2000,4000,440,480)');
    const forced = parseJsonCdr('{"variables":{"x":"a%20b","start_stamp":"2026-01-01 00:00:00"}}', {
      encodeValues: true,
    });
    expect(forced.variables.get('x')).to.equal('a b');
  });

  it('takes the encode=false plaintext body raw: a + in app data stays a +', () => {
    const text = unwrapCdrBody('application/x-www-form-plaintext', readPost('cdr-echo-xml_cdr-encode-false.http').body);
    expect(text.startsWith('<?xml version="1.0"?>\n<cdr ')).to.equal(true);
    expect(text).to.include('+0000');
  });

  it('accepts the other encodings the modules can be set to (base64, form-encoded JSON, text/xml)', () => {
    const xml = unwrapCdrBody('application/x-www-form-urlencoded', readPost('cdr-busy-xml_cdr-a-leg.http').body);
    const json = readPost('cdr-busy-json_cdr-a-leg.http').body.toString('utf8');
    const expected = parseCdrPost('application/json', json);
    expect(
      parseCdrPost('application/x-www-form-base64-encoded', `cdr=${Buffer.from(json).toString('base64')}`),
    ).to.deep.equal(expected);
    expect(
      parseCdrPost('application/x-www-form-urlencoded; charset=utf-8', `cdr=${encodeURIComponent(json)}`),
    ).to.deep.equal(expected);
    expect(parseCdrPost('text/xml', xml).uuid).to.equal(A_BUSY);
  });

  it('marks calls that started in public as inbound and calls that reached a gateway as outbound', () => {
    const json = JSON.parse(readPost('cdr-answered-json_cdr-a-leg.http').body.toString('utf8'));
    const inbound = structuredClone(json);
    inbound.callflow[0].caller_profile.context = 'public';
    delete inbound.variables.user_name;
    expect(parseCdrPost('application/json', JSON.stringify(inbound)).direction).to.equal('inbound');
    const outbound = structuredClone(json);
    outbound.variables.bridge_channel = 'sofia/gateway/carrier-1/15551234567';
    expect(parseCdrPost('application/json', JSON.stringify(outbound)).direction).to.equal('outbound');
    const stated = structuredClone(json);
    stated.variables.dialtone_direction = 'inbound';
    stated.variables.dialtone_skip_activity = 'true';
    const record = parseCdrPost('application/json', JSON.stringify(stated));
    expect(record.direction).to.equal('inbound');
    expect(record.countsForActivity).to.equal(false);
  });

  it('carries a hostile caller name as data', () => {
    const json = JSON.parse(readPost('cdr-answered-json_cdr-a-leg.http').body.toString('utf8'));
    json.callflow[0].caller_profile.caller_id_name = '${system(reboot)}<script>|';
    delete json.variables.user_name;
    json.callflow[0].caller_profile.context = 'public';
    expect(parseCdrPost('application/json', JSON.stringify(json)).callerIdName).to.equal('${system(reboot)}<script>|');
  });

  describe('HTTP decision', () => {
    const request = (file: string, authorization?: string) => {
      const post = readPost(file);
      return { method: 'POST', contentType: post.contentType, authorization, body: post.body };
    };

    it('accepts every captured post with the right credentials (200 + record)', () => {
      for (const file of posts) {
        const decision = decideCdrIntake(request(file, basic('fs1', 'cdr-Secret.42')), CREDENTIALS);
        expect(decision.status, file).to.equal(200);
        if (decision.status === 200) expect(decision.record.uuid, file).to.be.a('string');
      }
    });

    it('401 with a Basic challenge for missing or wrong credentials, before reading the body', () => {
      for (const authorization of [
        undefined,
        '',
        basic('fs1', 'wrong'),
        basic('other', 'cdr-Secret.42'),
        'Bearer abc',
        'Basic !!!',
        `${basic('fs1', 'cdr-Secret.42')}x`,
      ]) {
        const decision = decideCdrIntake(
          { method: 'POST', contentType: 'application/json', authorization, body: 'not even JSON' },
          CREDENTIALS,
        );
        expect(decision.status, String(authorization)).to.equal(401);
        if (decision.status === 401) expect(decision.wwwAuthenticate).to.equal('Basic realm="Dialtone CDR"');
      }
    });

    it('never accepts empty expected credentials', () => {
      expect(credentialsMatch(basic('', ''), { username: '', password: '' })).to.equal(false);
      expect(credentialsMatch(basic('fs1', 'cdr-Secret.42'), CREDENTIALS)).to.equal(true);
      expect(credentialsMatch(`basic   ${Buffer.from('fs1:cdr-Secret.42').toString('base64')}`, CREDENTIALS)).to.equal(
        true,
      );
    });

    it('remembers only an accepted header, and forgets it when the password changes', () => {
      const creds = { username: 'fs1', password: 'cdr-Secret.42' };
      const good = basic('fs1', 'cdr-Secret.42');
      expect(credentialsMatch(good, creds)).to.equal(true);
      expect(credentialsMatch(good, creds)).to.equal(true); // the remembered header
      expect(credentialsMatch(basic('fs1', 'cdr-Secret.43'), creds)).to.equal(false);
      expect(credentialsMatch(undefined, creds)).to.equal(false);
      expect(credentialsMatch(good, creds)).to.equal(true);
      creds.password = 'rotated-Secret.1';
      expect(credentialsMatch(good, creds)).to.equal(false);
      expect(credentialsMatch(basic('fs1', 'rotated-Secret.1'), creds)).to.equal(true);
    });

    it('405 for anything but POST, 400 (oversized / encoding) for an oversized body and an unknown encoding', () => {
      const auth = basic('fs1', 'cdr-Secret.42');
      expect(
        decideCdrIntake({ ...request('cdr-busy-json_cdr-a-leg.http', auth), method: 'GET' }, CREDENTIALS).status,
      ).to.equal(405);
      expect(
        decideCdrIntake(request('cdr-answered-xml_cdr-a-leg.http', auth), CREDENTIALS, { maxBodyBytes: 1000 }),
      ).to.deep.include({ status: 400, problem: 'oversized' });
      for (const contentType of ['text/plain', '', 'multipart/form-data; boundary=x']) {
        expect(
          decideCdrIntake({ ...request('cdr-busy-json_cdr-a-leg.http', auth), contentType }, CREDENTIALS),
          contentType,
        ).to.deep.include({ status: 400, problem: 'encoding' });
      }
    });

    describe('400 for malformed records', () => {
      const json = readPost('cdr-busy-json_cdr-a-leg.http').body.toString('utf8');
      const xmlForm = readPost('cdr-busy-xml_cdr-a-leg.http').body.toString('utf8');
      const xml = unwrapCdrBody('application/x-www-form-urlencoded', xmlForm);
      const cases: Array<[string, string, string]> = [
        ['truncated JSON', 'application/json', json.slice(0, json.length / 2)],
        ['JSON array', 'application/json', '[]'],
        ['JSON without variables', 'application/json', '{"callflow":[]}'],
        ['JSON without uuid', 'application/json', '{"variables":{"start_epoch":"1","end_epoch":"2"}}'],
        [
          'JSON with a bad uuid',
          'application/json',
          '{"variables":{"uuid":"../../etc","start_epoch":"1","end_epoch":"2"}}',
        ],
        ['JSON without times', 'application/json', `{"variables":{"uuid":"${A_BUSY}"}}`],
        ['neither JSON nor XML', 'application/json', 'hello'],
        ['empty body', 'application/json', ''],
        ['form without cdr', 'application/x-www-form-urlencoded', 'xml=1'],
        ['plaintext without cdr=', 'application/x-www-form-plaintext', xml],
        ['truncated XML', 'text/xml', xml.slice(0, xml.length - 20)],
        ['mismatched XML tags', 'text/xml', xml.replace('</variables>', '</variable>')],
        [
          'XML with a DOCTYPE',
          'text/xml',
          `<!DOCTYPE cdr [<!ENTITY x "y">]>${xml.replace('<?xml version="1.0"?>\n', '')}`,
        ],
        ['XML with an unknown entity', 'text/xml', xml.replace('<variables>', '<variables><x>&boom;</x>')],
        ['XML of another kind', 'text/xml', '<document type="freeswitch/xml"/>'],
        ['not base64', 'application/x-www-form-base64-encoded', 'cdr=%%%'],
      ];
      for (const [title, contentType, body] of cases) {
        it(title, () => {
          const decision = decideCdrIntake(
            { method: 'POST', contentType, authorization: basic('fs1', 'cdr-Secret.42'), body },
            CREDENTIALS,
          );
          expect(decision.status).to.equal(400);
          expect(() => parseCdrPost(contentType, body)).to.throw(CdrParseError);
        });
      }
    });
  });

  describe('strict XML parser', () => {
    const bad = [
      '<a><b></a>',
      '<a><b>',
      '<a>&</a>',
      '<a x="1" x="2"/>',
      '<a/><b/>',
      '<a>&foo;</a>',
      '<a></b>',
      '<a/>trailing',
      '<a x=1/>',
      '<a x="<"/>',
      '<a>\u0001</a>',
      '<a><!-- -- --></a>',
      '<a>&#0;</a>',
      '',
    ];
    for (const text of bad) {
      it(`refuses ${JSON.stringify(text)}`, () => {
        expect(() => parseXmlStrict(text)).to.throw(XmlSyntaxError);
      });
    }

    it('reads entities, CDATA, comments and attributes', () => {
      const root = parseXmlStrict(
        '<?xml version="1.0"?>\n<!-- c --><a k=\'v &amp; w\'>x &lt;&#65;&#x42;<![CDATA[<raw>]]><b/></a>\n',
      );
      expect(root.name).to.equal('a');
      expect(root.attributes.get('k')).to.equal('v & w');
      expect(root.children.filter((c) => typeof c === 'string').join('')).to.equal('x <AB<raw>');
    });

    it('refuses documents nested or sized beyond its limits', () => {
      expect(() => parseXmlStrict(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`)).to.throw(XmlSyntaxError, /deeper/);
      expect(() => parseXmlStrict('<a/>', { maxLength: 2 })).to.throw(XmlSyntaxError, /longer/);
    });
  });
});
