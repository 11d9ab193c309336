// The company directory on the phone: a search box (first or last name per the PBX, letters or keypad digits),
// paged results where selecting a name dials it, and the phone's favourites (its busy-lamp keys).
import { NotFoundError } from '../domain/errors';
import { type DirectoryEntry, favourites, searchDirectory } from '../services/company-directory';
import type { AppContext } from './context';
import { EXIT, type Screen, type SoftKey } from './screen';
import { cleanText } from './text';

function pageNumber(segment: string | undefined): number {
  if (segment === undefined) return 1;
  if (!/^\d{1,6}$/.test(segment) || Number(segment) < 1) throw new NotFoundError('no such page');
  return Number(segment);
}

function label(e: DirectoryEntry): string {
  return e.showNumber ? `${e.name} ${e.dial}` : e.name;
}

function entries(list: DirectoryEntry[]) {
  return list.filter((e) => e.dial !== '').map((e) => ({ name: label(e), number: e.dial }));
}

export function directoryApp(ctx: AppContext, segments: string[], query: URLSearchParams): Screen {
  const [what, pageSeg] = segments;
  const byFirst = ctx.snap.pbx.directoryByFirstName;
  if (what === undefined) {
    return {
      type: 'input',
      title: 'Directory',
      prompt: byFirst ? 'First name (or keypad digits)' : 'Last name (or keypad digits)',
      action: ctx.link('directory/results'),
      param: 'q',
      value: '',
      softkeys: [
        { label: 'Favorites', target: ctx.go('directory/favorites') },
        { label: 'Exit', target: EXIT },
      ],
    };
  }
  const size = ctx.limits.itemsPerPage;
  const page = pageNumber(pageSeg);
  if (what === 'results') {
    const q = cleanText(query.get('q') ?? '').slice(0, 40);
    const found = searchDirectory(ctx.snap, q, (page - 1) * size, size);
    const pages = Math.max(1, Math.ceil(found.total / size));
    if (page > pages) throw new NotFoundError('no such page');
    const keys: SoftKey[] = [];
    if (page < pages) keys.push({ label: 'More', target: ctx.go(`directory/results/${page + 1}`, { q }) });
    if (page > 1) keys.push({ label: 'Prev', target: ctx.go(`directory/results/${page - 1}`, { q }) });
    keys.push({ label: 'Search', target: ctx.go('directory') }, { label: 'Exit', target: EXIT });
    if (found.total === 0)
      return {
        type: 'text',
        title: 'Directory',
        lines: [q ? `Nobody found for "${q}".` : 'The directory is empty.'],
        softkeys: keys,
      };
    const title = q ? `"${q}"` : 'Directory';
    return {
      type: 'directory',
      title: pages > 1 ? `${title} ${page}/${pages}` : title,
      entries: entries(found.entries),
      softkeys: keys,
    };
  }
  if (what === 'favorites') {
    const all = favourites(ctx.snap, ctx.device);
    const pages = Math.max(1, Math.ceil(all.length / size));
    if (page > pages) throw new NotFoundError('no such page');
    const keys: SoftKey[] = [];
    if (page < pages) keys.push({ label: 'More', target: ctx.go(`directory/favorites/${page + 1}`) });
    if (page > 1) keys.push({ label: 'Prev', target: ctx.go(`directory/favorites/${page - 1}`) });
    keys.push({ label: 'Search', target: ctx.go('directory') }, { label: 'Exit', target: EXIT });
    if (all.length === 0)
      return { type: 'text', title: 'Favorites', lines: ['No favorites: ask for busy-lamp keys.'], softkeys: keys };
    return {
      type: 'directory',
      title: pages > 1 ? `Favorites ${page}/${pages}` : 'Favorites',
      entries: entries(all.slice((page - 1) * size, page * size)),
      softkeys: keys,
    };
  }
  throw new NotFoundError('no such page');
}
