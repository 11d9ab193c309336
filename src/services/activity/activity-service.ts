// The Activity module's use cases for the portal pages, the API and the CSV export: search (keyset pages), export
// (streamed), graph (per day/hour) and path usage (concurrency). Each takes the raw query-string object and reads it
// with the one parser of its screen (query.ts), in the PBX's time zone. An employee sees only calls of their own
// extension (another extension's calls read as none); Path Usage, a PBX-wide figure, is for administrators.
import type { Writable } from 'node:stream';
import type { MikroORM } from '@mikro-orm/core';
import { NotFoundError } from '../../domain/errors';
import { ExtensionSchema, type Pbx, PbxSchema } from '../../domain/model';
import { isoInZone } from '../../domain/zoned-time';
import { type Actor, assertAdmin, assertCanUse } from '../actor';
import { csvHeader, csvLine, writeRespectingBackpressure } from './csv';
import { type ActivityGraph, computeGraph } from './graph';
import { computePathUsage, type PathUsage } from './path-usage';
import { type ActivityQuery, encodeCursor, parseActivityQuery, parseGraphQuery, parsePathUsageQuery } from './query';
import { type ActivityCall, cursorOf, readPage, toCall } from './search';
import { type Sql, sqlFor } from './sql';

export interface ActivityPage {
  timezone: string;
  /** The query as read, to refill a search form: from/to as given, the range they mean as ISO instants. */
  query: {
    from: string | null;
    to: string | null;
    /** First instant searched (inclusive) and the instant the search stops before (exclusive), in the PBX zone. */
    range: { start: string | null; end: string | null };
    direction: ActivityQuery['direction'];
    extension: string | null;
    number: string | null;
    limit: number;
  };
  calls: ActivityCall[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Rows per read while exporting: big enough to be quick, small enough that memory stays flat. */
const EXPORT_BATCH = 1000;

interface Scope {
  pbx: Pbx;
  /** Set for an employee: the only extension whose calls they see ('' when they have none). */
  onlyExtension: string | null;
}

export class ActivityService {
  private readonly sql: Sql;

  constructor(private readonly orm: MikroORM) {
    this.sql = sqlFor(orm);
  }

  private async scope(actor: Actor, pbxId: number): Promise<Scope> {
    assertCanUse(actor, pbxId, 'activity');
    const em = this.orm.em.fork();
    const pbx = await em.findOne(PbxSchema, { id: pbxId });
    if (!pbx) throw new NotFoundError(`PBX #${pbxId} does not exist`);
    if (actor.kind === 'system' || actor.type === 'admin') return { pbx, onlyExtension: null };
    const ext = actor.extensionId ? await em.findOne(ExtensionSchema, { id: actor.extensionId, pbxId }) : null;
    return { pbx, onlyExtension: ext?.number ?? '' };
  }

  /** The query an actor may run: an employee's is narrowed to their extension (null: nothing to see). */
  private narrowed(q: ActivityQuery, scope: Scope): ActivityQuery | null {
    if (scope.onlyExtension === null) return q;
    if (scope.onlyExtension === '' || (q.extension && q.extension !== scope.onlyExtension)) return null;
    return { ...q, extension: scope.onlyExtension };
  }

  /** The PBX's time zone, for a search form shown before (or instead of) results. */
  async timezone(actor: Actor, pbxId: number): Promise<string> {
    return (await this.scope(actor, pbxId)).pbx.timezone;
  }

  /** Reads and checks Activity's query string (ValidationError naming each bad field) in the PBX's zone. */
  async parse(actor: Actor, pbxId: number, raw: Record<string, unknown>): Promise<ActivityQuery> {
    const { pbx } = await this.scope(actor, pbxId);
    return parseActivityQuery(raw, pbx.timezone);
  }

  async search(actor: Actor, pbxId: number, raw: Record<string, unknown>): Promise<ActivityPage> {
    const scope = await this.scope(actor, pbxId);
    const tz = scope.pbx.timezone;
    const q = parseActivityQuery(raw, tz);
    const run = this.narrowed(q, scope);
    const rows = run ? await readPage(this.sql, pbxId, run, q.cursor, q.limit + 1) : [];
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    return {
      timezone: tz,
      query: {
        from: q.fromText,
        to: q.toText,
        range: {
          start: q.from ? isoInZone(tz, q.from.getTime()) : null,
          end: q.to ? isoInZone(tz, q.to.getTime()) : null,
        },
        direction: q.direction,
        extension: run?.extension ?? q.extension,
        number: q.number,
        limit: q.limit,
      },
      calls: page.map((r) => toCall(r, this.sql, tz)),
      nextCursor: more ? encodeCursor(cursorOf(page[page.length - 1], this.sql)) : null,
    };
  }

  /**
   * Streams every call the query matches (cursor and limit ignored) as CSV to `out`, newest first, reading
   * EXPORT_BATCH rows at a time and waiting whenever `out` is full. Does not end `out`. Returns the rows written.
   */
  async exportCsv(actor: Actor, pbxId: number, raw: Record<string, unknown>, out: Writable): Promise<number> {
    const scope = await this.scope(actor, pbxId);
    const tz = scope.pbx.timezone;
    const q = parseActivityQuery(raw, tz);
    const run = this.narrowed(q, scope);
    await writeRespectingBackpressure(out, csvHeader());
    if (!run) return 0;
    let after: ReturnType<typeof cursorOf> | null = null;
    let written = 0;
    for (;;) {
      const rows = await readPage(this.sql, pbxId, run, after, EXPORT_BATCH);
      if (!rows.length) break;
      let text = '';
      for (const r of rows) text += csvLine(toCall(r, this.sql, tz));
      await writeRespectingBackpressure(out, text);
      written += rows.length;
      if (rows.length < EXPORT_BATCH) break;
      after = cursorOf(rows[rows.length - 1], this.sql);
    }
    return written;
  }

  /** Calls per local day or hour (`from`, `to`, `by`, `direction`), as buckets for the table and series for a chart. */
  async graph(actor: Actor, pbxId: number, raw: Record<string, unknown>, now = Date.now()): Promise<ActivityGraph> {
    const scope = await this.scope(actor, pbxId);
    const q = parseGraphQuery(raw, scope.pbx.timezone, now);
    const only = scope.onlyExtension === '' ? '\u0000' : scope.onlyExtension; // no extension: matches nothing
    return computeGraph(this.sql, pbxId, q, scope.pbx.timezone, only);
  }

  /** Concurrent external calls (`zoom`, `start`) against the PBX's prepaid and on-demand call paths. */
  async pathUsage(actor: Actor, pbxId: number, raw: Record<string, unknown>, now = Date.now()): Promise<PathUsage> {
    const scope = await this.scope(actor, pbxId);
    assertAdmin(actor, 'see path usage');
    const q = parsePathUsageQuery(raw, scope.pbx.timezone, now);
    return computePathUsage(this.sql, pbxId, q, scope.pbx.timezone, {
      prepaid: scope.pbx.prepaidPaths,
      onDemand: scope.pbx.onDemandPaths,
    });
  }
}
