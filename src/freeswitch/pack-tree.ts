// Packs the generated tree's per-object include files into one file per kind before it is written or pushed.
//
// The generator makes one include file per object (dialplan/<ctx>/14_mailbox_17.xml, directory/<domain>/101.xml)
// so its golden trees read one object at a time. A 10,000-extension PBX is then ~40,000 files: writing, syncing and
// pushing them costs seconds, and FreeSWITCH opens each one on reloadxml. FreeSWITCH includes these directories with
// a `*.xml` glob, in byte order, and pastes each file's body in place of its `<include>` wrapper; so a run of files
// that sort next to each other and share a stem (14_mailbox_1.xml, 14_mailbox_10.xml, 14_mailbox_2.xml …) can
// become one file (14_mailbox_all.xml) holding their bodies in that same order — the configuration is unchanged.

/** Directories FreeSWITCH includes with a `<dir>/*.xml` glob (depth two under these roots). */
const GLOBBED = /^(dialplan|directory|sip_profiles)\/[^/]+\/[^/]+\.xml$/;
const OPEN = '<include>\n';
const CLOSE = '</include>\n';

function stemOf(name: string): string | null {
  const m = /^(.*?)\d+\.xml$/.exec(name);
  return m ? m[1] : null;
}

/** The lines between `<include>` and `</include>`; null when the file is not a plain include document. */
function bodyOf(text: string): string | null {
  if (!text.startsWith(OPEN) || !text.endsWith(CLOSE)) return null;
  const body = text.slice(OPEN.length, text.length - CLOSE.length);
  return body.includes(CLOSE) || body.includes(OPEN) ? null : body;
}

// Sorting: the default sort (no callback) compares UTF-16 code units, as `<` does; several times faster on 30,000
// paths than a comparator called back from the sort.

/**
 * A file's text: one string, or pieces to be written one after another. A packed file of a 10,000-extension PBX is
 * ~8 MB; joining it into one string makes a copy that costs more than the packing (every fresh page is a fault), and
 * the writers (write-tree.ts, sftp-push.ts) can take the pieces as they are.
 */
export type FileText = string | readonly string[];

/** The text of a file as one string (for readers of the tree: tests, the SFTP push, the portal's views). */
export const textOf = (text: FileText): string => (typeof text === 'string' ? text : text.join(''));

/** The tree with every file as one string. */
export function textTree(files: Map<string, FileText>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of files) out.set(path, textOf(text));
  return out;
}

/** packTree with every file as one string. */
export function packTree(files: Map<string, string>): Map<string, string> {
  return textTree(packTreePieces(files));
}

/** Packs the tree; a packed file is its pieces (the wrapper lines and the packed files' bodies), not joined. */
export function packTreePieces(files: Map<string, string>): Map<string, FileText> {
  const out = new Map<string, FileText>();
  const dirs = new Map<string, string[]>();
  for (const path of files.keys()) {
    if (!GLOBBED.test(path)) {
      out.set(path, files.get(path)!);
      continue;
    }
    const dir = path.slice(0, path.lastIndexOf('/'));
    const list = dirs.get(dir);
    if (list) list.push(path);
    else dirs.set(dir, [path]);
  }
  for (const [dir, paths] of dirs)
    for (const [path, text] of packDirectory(dir, paths.sort(), files)) out.set(path, text);
  const sorted = new Map<string, FileText>();
  for (const path of [...out.keys()].sort()) sorted.set(path, out.get(path)!);
  return sorted;
}

/** Runs of same-stem files become `<stem>all.xml`; the packed names must sort exactly as the runs did. */
function packDirectory(dir: string, paths: string[], files: Map<string, string>): Array<[string, FileText]> {
  const runs: Array<{ stem: string | null; paths: string[]; bodies: string[] }> = [];
  for (const path of paths) {
    const name = path.slice(dir.length + 1);
    const body = bodyOf(files.get(path)!);
    const stem = body === null ? null : stemOf(name);
    const last = runs.at(-1);
    if (stem !== null && last && last.stem === stem) {
      last.paths.push(path);
      last.bodies.push(body!);
    } else runs.push({ stem, paths: [path], bodies: body === null ? [] : [body] });
  }
  const packed: Array<[string, FileText]> = runs.map((run) => {
    if (run.paths.length < 2 || run.stem === null) return [run.paths[0], files.get(run.paths[0])!];
    return [`${dir}/${run.stem}all.xml`, [OPEN, ...run.bodies, CLOSE]];
  });
  const names = packed.map(([p]) => p);
  const sorted = [...names].sort();
  if (new Set(names).size !== names.length || sorted.some((p, i) => p !== names[i]))
    throw new Error(`packing ${dir} would change FreeSWITCH's include order: ${names.join(', ')}`);
  return packed;
}
