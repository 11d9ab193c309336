// Base FreeSWITCH configuration: well-formed files, includes that resolve, required modules, safe settings.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { expect } from 'chai';
import { ValidationError } from '../../src/domain/errors';
import {
  BaseConfigError,
  DEFAULT_BASE_DIR,
  type FreeswitchSettings,
  GENERATOR_OWNED_PATTERNS,
  globToRegExp,
  ownerOf,
  renderBaseConfig,
} from '../../src/freeswitch/base-config';
import { DEFAULT_OPTIONS, generate } from '../../src/freeswitch/generator';
import { childElements, firstChild, parseXmlStrict, type XmlElement } from '../../src/freeswitch/xml-strict';

const settings = (): FreeswitchSettings => ({
  mode: 'live',
  sip: { bindIp: '203.0.113.10' },
  eventSocket: { password: 'esl-Secret.42' },
  xmlCurl: { url: 'http://10.0.0.2:3000/freeswitch/xml-curl', username: 'fs1', password: 'curl-Secret.42' },
  cdr: { url: 'https://dialtone.example.net/freeswitch/cdr', username: 'fs1', password: 'cdr-Secret.42' },
});

/** One path per kind of file the generator writes, to check the base's include globs against. */
const GENERATOR_EXAMPLES = [
  'directory/acme.example.com.xml',
  'directory/acme.example.com/1001.xml',
  'dialplan/acme.xml',
  'dialplan/acme/20_extension-1001.xml',
  'dialplan/public/10_15551234567.xml',
  'autoload_configs/conference.conf.xml',
  'autoload_configs/callcenter.conf.xml',
  'autoload_configs/local_stream.conf.xml',
  'autoload_configs/ivr.conf.xml',
  'autoload_configs/voicemail.conf.xml',
  'autoload_configs/directory.conf.xml',
  'sip_profiles/external/carrier-1.xml',
];

/** Includes that point outside the conf tree, at files FreeSWITCH's packages install. */
const EXTERNAL_INCLUDES = ['$${dialtone_lang_dir}/en/en.xml'];

const PREPROCESS_LINE = /^\s*<X-PRE-PROCESS cmd="(include|set)" data="([^"]*)"\/>$/;

function preprocessLines(text: string): Array<{ cmd: string; data: string }> {
  return text
    .split('\n')
    .filter((line) => line.includes('X-PRE-PROCESS'))
    .map((line) => {
      const m = PREPROCESS_LINE.exec(line);
      if (!m) throw new Error(`X-PRE-PROCESS not alone on its line: ${line}`);
      return { cmd: m[1], data: m[2] };
    });
}

function setVariables(tree: Map<string, string>): Map<string, string> {
  return new Map(
    preprocessLines(tree.get('vars.xml')!)
      .filter((p) => p.cmd === 'set')
      .map((p) => [p.data.slice(0, p.data.indexOf('=')), p.data.slice(p.data.indexOf('=') + 1)] as [string, string]),
  );
}

function params(el: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of childElements(el!, 'param')) out[p.attributes.get('name')!] = p.attributes.get('value')!;
  return out;
}

describe('freeswitch/base-config', () => {
  const tree = renderBaseConfig(settings());
  const basePaths = new Set(tree.keys());

  it('renders the whole base tree, sorted, vars.xml included', () => {
    expect([...tree.keys()]).to.deep.equal([...tree.keys()].sort());
    for (const path of [
      'freeswitch.xml',
      'vars.xml',
      'autoload_configs/modules.conf.xml',
      'autoload_configs/switch.conf.xml',
      'autoload_configs/sofia.conf.xml',
      'autoload_configs/event_socket.conf.xml',
      'autoload_configs/xml_curl.conf.xml',
      'autoload_configs/json_cdr.conf.xml',
      'sip_profiles/internal.xml',
      'sip_profiles/external.xml',
      'dialplan/public.xml',
    ]) {
      expect(tree.has(path), path).to.equal(true);
    }
  });

  it('ships the voicemail e-mail templates voicemail.conf names, and a mailer to send them', () => {
    const email = tree.get('voicemail.tpl')!;
    const notify = tree.get('notify-voicemail.tpl')!;
    const headers = (t: string) => t.slice(0, t.indexOf('\n\n')).split('\n');
    expect(headers(email)).to.include('To: <${voicemail_email}>');
    expect(headers(notify)).to.include('To: <${voicemail_notify_email}>');
    for (const t of [email, notify]) {
      expect(headers(t).some((h) => h.startsWith('Subject: '))).to.equal(true);
      expect(t).not.to.include('\r');
      // Caller-controlled values stay out of the From header (no spoofed sender in the user's inbox).
      expect(headers(t).find((h) => h.startsWith('From: '))).not.to.include('caller_id');
    }
    expect(email).to.include('attached');
    const conf = generate([], DEFAULT_OPTIONS).get('autoload_configs/voicemail.conf.xml')!;
    expect(conf).to.include('<param name="template-file" value="voicemail.tpl"/>');
    expect(conf).to.include('<param name="notify-template-file" value="notify-voicemail.tpl"/>');
    const sw = tree.get('autoload_configs/switch.conf.xml')!;
    expect(sw).to.include('<param name="mailer-app" value="sendmail"/>');
    expect(sw).to.include('<param name="mailer-app-args" value="-t"/>');
  });

  it('is deterministic: same settings, same bytes', () => {
    expect([...renderBaseConfig(settings()).entries()]).to.deep.equal([...tree.entries()]);
  });

  it('every file is well-formed XML, before and after $${} expansion', () => {
    const vars = setVariables(tree);
    for (const [path, text] of tree) {
      if (!path.endsWith('.xml')) continue;
      expect(() => parseXmlStrict(text), path).not.to.throw();
      const expanded = text.replace(/\$\$\{([^}]*)\}/g, (_m, name: string) => {
        if (!vars.has(name)) throw new Error(`${path} uses $\${${name}}, which vars.xml does not set`);
        return vars.get(name)!;
      });
      expect(() => parseXmlStrict(expanded), path).not.to.throw();
    }
  });

  it('keeps preprocessor lines where FreeSWITCH reads them: one per line, never inside a comment', () => {
    for (const [path, text] of tree) {
      expect(() => preprocessLines(text), path).not.to.throw();
      const comments = text.match(/<!--[\s\S]*?-->/g) ?? [];
      for (const c of comments) expect(c, path).not.to.match(/X-PRE-PROCESS|<!--#/i);
      for (const line of text.split('\n')) {
        if (/<\/?include>/.test(line)) expect(line.trim(), path).to.match(/^<\/?include>$/);
      }
    }
  });

  it('includes point at base files, generator-owned files or packaged files', () => {
    const known = [...basePaths, ...GENERATOR_EXAMPLES];
    let includes = 0;
    for (const [path, text] of tree) {
      for (const { cmd, data } of preprocessLines(text)) {
        if (cmd !== 'include') continue;
        includes++;
        if (data.startsWith('$${') || data.startsWith('/')) {
          expect(EXTERNAL_INCLUDES, `${path} includes ${data}`).to.include(data);
          continue;
        }
        const resolved = posix.normalize(posix.join(posix.dirname(path), data));
        expect(resolved.startsWith('..'), `${path} includes ${data} outside conf`).to.equal(false);
        const re = globToRegExp(resolved);
        expect(
          known.some((p) => re.test(p)),
          `${path} includes ${data} (${resolved}), which nothing writes`,
        ).to.equal(true);
      }
    }
    expect(includes).to.be.greaterThan(6);
  });

  it('does not ship the generator-owned files, and the examples are generator-owned', () => {
    for (const name of ['conference', 'callcenter', 'local_stream', 'ivr', 'voicemail', 'directory']) {
      expect(tree.has(`autoload_configs/${name}.conf.xml`), name).to.equal(false);
    }
    for (const path of basePaths) expect(ownerOf(path, basePaths), path).to.equal('base');
    for (const path of GENERATOR_EXAMPLES) expect(ownerOf(path, basePaths), path).to.equal('generator');
    expect(ownerOf('lang/en/en.xml', basePaths)).to.equal(undefined);
    expect(GENERATOR_OWNED_PATTERNS).to.include('sip_profiles/external/*.xml');
  });

  it('a static tree never asks Dialtone: no mod_xml_curl, no binding, no xml_curl variables', () => {
    const { xmlCurl: _ignored, ...rest } = settings();
    const staticTree = renderBaseConfig({ ...rest, mode: 'static' });
    expect(staticTree.has('autoload_configs/xml_curl.conf.xml')).to.equal(false);
    const modules = childElements(
      firstChild(parseXmlStrict(staticTree.get('autoload_configs/modules.conf.xml')!), 'modules')!,
      'load',
    ).map((l) => l.attributes.get('module')!);
    expect(modules).not.to.include('mod_xml_curl');
    expect(modules).to.include.members(['mod_sofia', 'mod_voicemail', 'mod_json_cdr', 'mod_shout', 'mod_db']);
    expect([...setVariables(staticTree).keys()].filter((k) => k.includes('xml_curl'))).to.deep.equal([]);
    for (const text of staticTree.values()) expect(text).not.to.include('xml_curl_url');
    // Live mode binds it, and needs to know where Dialtone is.
    expect(() => renderBaseConfig({ ...rest, mode: 'live' }))
      .to.throw(ValidationError)
      .with.property('fields')
      .that.has.property('xmlCurl.url');
    expect(() => renderBaseConfig({ ...settings(), mode: 'sometimes' as 'live' }))
      .to.throw(ValidationError)
      .with.property('fields')
      .that.has.property('mode');
  });

  it('ships a configuration for every module it loads that reads one (db.conf, shout.conf): none logs a missing file', () => {
    expect(tree.get('autoload_configs/db.conf.xml')).to.include('<configuration name="db.conf"');
    expect(tree.get('autoload_configs/shout.conf.xml')).to.include('<configuration name="shout.conf"');
  });

  it('sets media timeouts as channel variables, not the rtp-timeout-sec profile params FreeSWITCH 1.10 deprecates', () => {
    for (const profile of ['sip_profiles/internal.xml', 'sip_profiles/external.xml'])
      expect(tree.get(profile), profile).not.to.match(/rtp-(hold-)?timeout-sec/);
    const vars = setVariables(tree);
    expect(vars.get('media_timeout')).to.equal('300000');
    expect(vars.get('media_hold_timeout')).to.equal('1800000');
  });

  it('loads the modules Dialtone relies on, xml_curl before the modules it configures', () => {
    const modules = childElements(
      firstChild(parseXmlStrict(tree.get('autoload_configs/modules.conf.xml')!), 'modules')!,
      'load',
    ).map((l) => l.attributes.get('module')!);
    const required = [
      'mod_console',
      'mod_logfile',
      'mod_sofia',
      'mod_dialplan_xml',
      'mod_xml_curl',
      'mod_json_cdr',
      'mod_voicemail',
      'mod_conference',
      'mod_callcenter',
      'mod_valet_parking',
      'mod_local_stream',
      'mod_shout',
      'mod_directory',
      'mod_event_socket',
      'mod_db',
      'mod_hash',
      'mod_commands',
      'mod_dptools',
      'mod_sndfile',
      'mod_tone_stream',
      'mod_native_file',
      'mod_loopback',
      'mod_expr',
      'mod_say_en',
      'mod_flite',
    ];
    for (const m of required) expect(modules, m).to.include(m);
    expect(new Set(modules).size).to.equal(modules.length);
    expect(modules, 'json and xml cdr together post every call twice').not.to.include('mod_xml_cdr');
    expect(modules).not.to.include('mod_g723_1');
    for (const m of [
      'mod_sofia',
      'mod_voicemail',
      'mod_conference',
      'mod_callcenter',
      'mod_local_stream',
      'mod_directory',
    ]) {
      expect(modules.indexOf('mod_xml_curl'), m).to.be.lessThan(modules.indexOf(m));
    }
  });

  it('binds the event socket to loopback by default, behind an ACL', () => {
    const vars = setVariables(tree);
    expect(vars.get('dialtone_esl_listen_ip')).to.equal('127.0.0.1');
    expect(vars.get('dialtone_esl_listen_port')).to.equal('8021');
    expect(vars.get('dialtone_esl_allow_cidr')).to.equal('127.0.0.1/32');
    const esl = params(firstChild(parseXmlStrict(tree.get('autoload_configs/event_socket.conf.xml')!), 'settings'));
    expect(esl['listen-ip']).to.equal('$${dialtone_esl_listen_ip}');
    expect(esl.password).to.equal('$${dialtone_esl_password}');
    expect(esl['apply-inbound-acl']).to.equal('dialtone_esl');
    const acl = parseXmlStrict(tree.get('autoload_configs/acl.conf.xml')!);
    const list = childElements(firstChild(acl, 'network-lists')!, 'list').find(
      (l) => l.attributes.get('name') === 'dialtone_esl',
    )!;
    expect(list.attributes.get('default')).to.equal('deny');
  });

  it('listening beyond loopback needs an explicit allow-list', () => {
    const wide = settings();
    wide.eventSocket.listenIp = '10.0.0.3';
    expect(() => renderBaseConfig(wide))
      .to.throw(ValidationError)
      .with.property('fields')
      .that.has.property('eventSocket.allowFrom');
    wide.eventSocket.allowFrom = '10.0.0.2/32';
    expect(setVariables(renderBaseConfig(wide)).get('dialtone_esl_allow_cidr')).to.equal('10.0.0.2/32');
  });

  it('points xml_curl and json_cdr at Dialtone with basic-auth credentials from settings', () => {
    const vars = setVariables(tree);
    expect(vars.get('dialtone_xml_curl_url')).to.equal('http://10.0.0.2:3000/freeswitch/xml-curl');
    expect(vars.get('dialtone_xml_curl_credentials')).to.equal('fs1:curl-Secret.42');
    expect(vars.get('dialtone_cdr_credentials')).to.equal('fs1:cdr-Secret.42');
    const binding = firstChild(
      firstChild(parseXmlStrict(tree.get('autoload_configs/xml_curl.conf.xml')!), 'bindings')!,
      'binding',
    )!;
    const url = childElements(binding, 'param').find((p) => p.attributes.get('name') === 'gateway-url')!;
    expect(url.attributes.get('bindings')).to.equal('directory|dialplan|configuration');
    expect(params(binding)).to.include({
      'gateway-url': '$${dialtone_xml_curl_url}',
      'gateway-credentials': '$${dialtone_xml_curl_credentials}',
      'auth-scheme': 'basic',
      'disable-100-continue': 'true',
      timeout: '$${dialtone_xml_curl_timeout}',
    });
    const cdr = params(firstChild(parseXmlStrict(tree.get('autoload_configs/json_cdr.conf.xml')!), 'settings'));
    expect(cdr).to.include({
      url: '$${dialtone_cdr_url}',
      cred: '$${dialtone_cdr_credentials}',
      'encode-values': 'false',
      'log-b-leg': 'true',
      retries: '$${dialtone_cdr_retries}',
      delay: '$${dialtone_cdr_delay}',
      'err-log-dir': '$${dialtone_cdr_err_log_dir}',
    });
  });

  it('makes phones authenticate on the internal profile, with presence and MWI', () => {
    const internal = parseXmlStrict(tree.get('sip_profiles/internal.xml')!);
    expect(internal.attributes.get('name')).to.equal('internal');
    expect(params(firstChild(internal, 'settings'))).to.include({
      'auth-calls': 'true',
      'inbound-reg-force-matching-username': 'true',
      'manage-presence': 'true',
      'send-message-query-on-register': 'true',
      'sip-port': '$${dialtone_internal_sip_port}',
      'sip-ip': '$${dialtone_bind_ip}',
    });
    const external = parseXmlStrict(tree.get('sip_profiles/external.xml')!);
    expect(params(firstChild(external, 'settings'))).to.include({
      context: 'public',
      'sip-port': '$${dialtone_external_sip_port}',
    });
    const vars = setVariables(tree);
    expect(vars.get('dialtone_internal_sip_port')).to.equal('5060');
    expect(vars.get('dialtone_external_sip_port')).to.equal('5080');
  });

  describe('refuses hostile or malformed settings', () => {
    const cases: Array<[string, unknown]> = [
      ['sip.bindIp', '${system(reboot)}'],
      ['sip.bindIp', '10.0.0.256'],
      ['sip.bindIp', '0.0.0.0'],
      ['sip.bindIp', ''],
      ['sip.bindIp', 42],
      ['sip.externalIp', '1.2.3.4|bridge'],
      ['sip.internalPort', 70000],
      ['sip.internalPort', 20000],
      ['sip.externalPort', 5060],
      ['sip.rtpEndPort', 1100],
      ['eventSocket.password', 'ClueCon'],
      ['eventSocket.password', '$${esl_password}'],
      ['eventSocket.password', 'pass word"/><x'],
      ['eventSocket.password', 'pässwörd-long'],
      ['eventSocket.listenIp', 'localhost'],
      ['eventSocket.listenPort', 5060],
      ['eventSocket.allowFrom', '10.0.0.0/33'],
      ['xmlCurl.url', 'http://x/y?a=1&b=2'],
      ['xmlCurl.url', 'http://user:pw@host/x'],
      ['xmlCurl.url', 'file:///etc/passwd'],
      ['xmlCurl.url', 'http://host/${uuid}'],
      ['xmlCurl.username', 'a:b'],
      ['xmlCurl.password', 'short'],
      ['xmlCurl.password', 'new\nline-pass'],
      ['xmlCurl.timeoutSec', 0],
      ['cdr.url', 'https://dialtone.example/<cdr>'],
      ['cdr.retries', 1.5],
      ['cdr.errorLogDir', '/var/log/../../etc'],
      ['cdr.errorLogDir', 'relative/dir'],
      ['paths.soundsDir', '/usr/share/$${x}'],
      ['paths.holdMusicDir', '/srv/moh/'],
      ['paths.recordingsDir', '/srv/re cordings'],
    ];
    for (const [field, value] of cases) {
      it(`${field} = ${JSON.stringify(value)}`, () => {
        const s = settings() as unknown as Record<string, Record<string, unknown>>;
        const [group, key] = field.split('.');
        s[group] = { ...(s[group] ?? {}), [key]: value };
        let error: unknown;
        try {
          renderBaseConfig(s as unknown as FreeswitchSettings);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).fields).to.have.property(field);
      });
    }

    it('reports every bad field at once', () => {
      const s = settings();
      s.sip.bindIp = 'nope';
      s.cdr.password = '';
      expect(() => renderBaseConfig(s))
        .to.throw(ValidationError)
        .with.property('fields')
        .that.has.all.keys('sip.bindIp', 'cdr.password');
    });
  });

  describe('base tree guards', () => {
    let dir = '';
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'dialtone-base-'));
      cpSync(DEFAULT_BASE_DIR, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('renders a copy of the tree identically', () => {
      expect([...renderBaseConfig(settings(), dir).entries()]).to.deep.equal([...tree.entries()]);
    });

    it('refuses a static vars.xml or modules.conf.xml', () => {
      writeFileSync(join(dir, 'vars.xml'), '<include>\n</include>\n');
      expect(() => renderBaseConfig(settings(), dir)).to.throw(BaseConfigError, /generated/);
      rmSync(join(dir, 'vars.xml'));
      writeFileSync(join(dir, 'autoload_configs', 'modules.conf.xml'), '<configuration name="modules.conf"/>\n');
      expect(() => renderBaseConfig(settings(), dir)).to.throw(BaseConfigError, /generated/);
    });

    it('refuses a generator-owned file in the base tree', () => {
      const path = join(dir, 'autoload_configs', 'voicemail.conf.xml');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '<configuration name="voicemail.conf"/>\n');
      expect(() => renderBaseConfig(settings(), dir)).to.throw(BaseConfigError, /generator/);
    });
  });
});
