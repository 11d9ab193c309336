// What the Time Frames, Groups and Conference Bridge pages share: the delete confirmation (with what still points at
// the object) and the delete itself, refused with the same page while something does — crud-helpers' handlers, with
// these pages' breadcrumb and "<Noun> deleted." message.
import { deleteHandlers } from './crud-helpers';

export interface DeleteSpec {
  /** Kind name as in services/kinds.ts ("time-frames"). */
  kind: string;
  /** Where the list is, and the breadcrumb's label. */
  base: string;
  crumb: string;
  /** "time frame “Business hours”" from the stored object. */
  noun(row: Record<string, unknown>): string;
  /** The object's edit page (defaults to base/id). */
  back?(id: number): string;
}

export function deletePages(spec: DeleteSpec) {
  return deleteHandlers({
    kind: spec.kind,
    base: spec.base,
    what: (row) => spec.noun(row),
    crumbs: [{ label: spec.crumb, path: spec.base }],
    back: spec.back,
    deleted: (noun) => `${noun.charAt(0).toUpperCase()}${noun.slice(1)} deleted.`,
  });
}
