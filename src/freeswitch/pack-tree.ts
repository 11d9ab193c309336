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

export function packTree(files: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
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
  const sorted = new Map<string, string>();
  for (const path of [...out.keys()].sort()) sorted.set(path, out.get(path)!);
  return sorted;
}

/** Runs of same-stem files become `<stem>all.xml`; the packed names must sort exactly as the runs did. */
function packDirectory(dir: string, paths: string[], files: Map<string, string>): Array<[string, string]> {
  const runs: Array<{ stem: string | null; paths: string[] }> = [];
  for (const path of paths) {
    const name = path.slice(dir.length + 1);
    const stem = bodyOf(files.get(path)!) === null ? null : stemOf(name);
    const last = runs.at(-1);
    if (stem !== null && last && last.stem === stem) last.paths.push(path);
    else runs.push({ stem, paths: [path] });
  }
  const packed: Array<[string, string]> = runs.map((run) => {
    if (run.paths.length < 2 || run.stem === null) return [run.paths[0], files.get(run.paths[0])!];
    const bodies = run.paths.map((p) => bodyOf(files.get(p)!)!);
    // One join makes one flat string; a concatenation around a joined body would be copied again when written.
    return [`${dir}/${run.stem}all.xml`, [OPEN, ...bodies, CLOSE].join('')];
  });
  const names = packed.map(([p]) => p);
  const sorted = [...names].sort();
  if (new Set(names).size !== names.length || sorted.some((p, i) => p !== names[i]))
    throw new Error(`packing ${dir} would change FreeSWITCH's include order: ${names.join(', ')}`);
  return packed;
}
