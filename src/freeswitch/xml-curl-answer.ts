// mod_xml_curl answers from request-time PBX snapshots: directory users, dialplan contexts, module configurations.
// Pure given its lookups; memoised per PBX revision by the caller's LiveEntry memo, so repeated lookups cost a map read.
import { createHash } from 'node:crypto';
import { BoundedMemo } from '../domain/bounded-memo';
import type { PbxSnapshot } from '../domain/snapshot';
import { confSections, type GenerateOptions, pbxFragments } from './generator';
import { contextBuild } from './generator/dialplan';
import { directoryAnswersUnchanged, directoryDomainBuild, directoryUserAnswer } from './generator/dialplan/directory';
import { findDirectoryUser } from './generator/dialplan/identity';
import { type Fragment, renderDocument } from './generator/xml';
import { notFoundDocument } from './xml-curl-not-found';
import type { XmlCurlRequest } from './xml-curl-request';

/** What the answerer needs from the outside world (LiveSnapshots implements it). */
export interface SnapshotSource {
  byDomain(domain: string): Promise<Entry | null>;
  byContext(context: string): Promise<Entry | null>;
  all(): Promise<Entry[]>;
}

interface Entry {
  snap: PbxSnapshot;
  revision: number;
  memo: Map<string, string>;
}

/** Module configurations Dialtone owns; every other configuration name falls back to FreeSWITCH's files. */
export const LIVE_CONFIGURATIONS = new Set([
  'ivr.conf',
  'conference.conf',
  'callcenter.conf',
  'local_stream.conf',
  'voicemail.conf',
  'directory.conf',
  'timezones.conf',
]);

function memo(entry: Entry, key: string, make: () => string): string {
  const hit = entry.memo.get(key);
  if (hit !== undefined) return hit;
  const text = make();
  entry.memo.set(key, text);
  return text;
}

const NOT_FOUND = notFoundDocument();

/** Kept user answers (~1 KB each): every user of a 20,000-user node, or of several smaller PBXs. */
const USER_ANSWERS_MAX = 20_000;

export class XmlCurlAnswerer {
  private readonly confMemo = new Map<string, string>();
  private readonly publicMemo = new WeakMap<PbxSnapshot, Fragment[]>();
  /** Single-user directory answers by a digest of their values (directoryUserAnswer): about one per user. */
  private readonly userAnswers = new BoundedMemo<string>(USER_ANSWERS_MAX);
  /** Per PBX, the newest entry seen and its single-user directory answers (see directoryAnswers). */
  private readonly userAnswersByPbx = new Map<number, { entry: Entry; answers: Map<string, string> }>();

  constructor(
    private readonly source: SnapshotSource,
    private readonly opts: GenerateOptions,
  ) {}

  async answer(req: XmlCurlRequest): Promise<string> {
    switch (req.section) {
      case 'directory':
        return this.directory(req.lookup);
      case 'dialplan':
        return this.dialplan(req.context, req.destinationNumber);
      case 'configuration':
        return LIVE_CONFIGURATIONS.has(req.name) ? this.configuration(req.name) : NOT_FOUND;
      default:
        return NOT_FOUND;
    }
  }

  private async directory(lookup: Extract<XmlCurlRequest, { section: 'directory' }>['lookup']): Promise<string> {
    if (lookup.action === 'gateways' || lookup.action === 'network-list') return NOT_FOUND;
    const domain = 'domain' in lookup ? lookup.domain : undefined;
    if (!domain) return NOT_FOUND;
    const entry = await this.source.byDomain(domain);
    if (!entry) return NOT_FOUND;
    const user = 'user' in lookup ? lookup.user : undefined;
    if (!user) {
      // Domain lookups (mod_directory walks every user of the domain) get the whole domain.
      return memo(entry, 'directory:*', () =>
        renderDocument('directory', directoryDomainBuild(entry.snap, this.opts, 'all')),
      );
    }
    const u = findDirectoryUser(entry.snap, user);
    if (!u) return NOT_FOUND;
    const answers = this.directoryAnswers(entry);
    const hit = answers.get(u.id);
    if (hit !== undefined) return hit;
    // By the values the answer is written from: after a change, a user whose values did not change (most of them)
    // gets the text written for the previous revision instead of a new one.
    const { key, build } = directoryUserAnswer(entry.snap, u);
    const text = this.userAnswers.get(createHash('sha1').update(key).digest('base64'), () =>
      renderDocument('directory', build),
    );
    answers.set(u.id, text);
    return text;
  }

  /**
   * The single-user directory answers of an entry (a PBX revision) by user id. The first lookup of a new revision
   * takes the previous revision's map over, as it is, when the change cannot have touched any answer
   * (directoryAnswersUnchanged): after a change to routing or a new number the directory keeps answering from memory.
   */
  private directoryAnswers(entry: Entry): Map<string, string> {
    const id = entry.snap.pbx.id;
    const held = this.userAnswersByPbx.get(id);
    if (held?.entry === entry) return held.answers;
    // A request still holding an older revision than the one kept: answered on its own, the kept map stays.
    if (held && held.entry.revision > entry.revision) return new Map();
    const carry = held !== undefined && directoryAnswersUnchanged(held.entry.snap, entry.snap);
    const answers = carry ? held.answers : new Map<string, string>();
    this.userAnswersByPbx.set(id, { entry, answers });
    return answers;
  }

  private async dialplan(context: string, destination: string): Promise<string> {
    if (context === 'public') return this.publicContext(destination);
    const entry = await this.source.byContext(context);
    if (!entry) return NOT_FOUND;
    // In file-name order, as the static tree's include reads them: the first matching entry wins.
    return memo(entry, 'dialplan', () =>
      renderDocument('dialplan', contextBuild(entry.snap, pbxFragments(entry.snap, this.opts))),
    );
  }

  /** The public context holds every PBX's DIDs; only the entries for the dialed number are sent. */
  private async publicContext(destination: string): Promise<string> {
    const digits = destination.replace(/\D/g, '');
    const candidates = new Set([digits, digits.replace(/^1(\d{10})$/, '$1')]);
    const entries = await this.source.all();
    const matches = entries.flatMap((e) => {
      const dids = e.snap.phoneNumbers.filter((n) => candidates.has(n.number) || candidates.has(`1${n.number}`));
      if (!dids.length) return [];
      return this.publicFragments(e.snap).filter((f) => dids.some((n) => f.path.includes(n.number)));
    });
    return renderDocument('dialplan', (section) => {
      const ctx = section.ele('context', { name: 'public' });
      for (const f of matches) f.build(ctx);
    });
  }

  /**
   * The PBX's public-context fragments, once per snapshot (one per PBX revision): listing them builds every fragment
   * of the PBX (its whole dialplan scope), ~10 ms per 1,000 extensions, which each inbound call's lookup paid.
   */
  private publicFragments(snap: PbxSnapshot): Fragment[] {
    let list = this.publicMemo.get(snap);
    if (!list) {
      list = pbxFragments(snap, this.opts).filter((f) => f.path.startsWith('dialplan/public/'));
      this.publicMemo.set(snap, list);
    }
    return list;
  }

  private async configuration(name: string): Promise<string> {
    const entries = await this.source.all();
    const key = `${name}|${entries.map((e) => `${e.snap.pbx.id}:${e.revision}`).join(',')}`;
    const hit = this.confMemo.get(key);
    if (hit) return hit;
    const section = confSections(
      entries.map((e) => e.snap),
      this.opts,
    ).find((c) => c.name === name);
    const text = renderDocument('configuration', (s) => {
      const conf = s.ele('configuration', { name, description: section?.description ?? name });
      section?.build(conf);
    });
    for (const k of this.confMemo.keys()) if (k.startsWith(`${name}|`)) this.confMemo.delete(k);
    this.confMemo.set(key, text);
    return text;
  }
}
