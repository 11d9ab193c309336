// Services → Queues: name, number, strategy, agents (their order is their tier), hold music, the two waits and where
// callers go after them, and each agent's status read live from mod_callcenter when FreeSWITCH answers.
import type { Request, Response } from 'express';
import { type Extension, QUEUE_STRATEGIES, type Queue } from '../../domain/model';
import { idParam, type Portal, type Viewer, viewer } from '../context';
import { FormView, postedList, postedValues, type Values } from '../forms';
import { flash } from '../http';
import { listQuery, pager } from '../paging';
import { destinationValues, loadTargets, objectRefs, pickerView, readDestination } from '../picker';
import { renderPage } from '../render';
import { deleteHandlers, describeDestination, saveObject } from './crud-helpers';

const BASE = '/services/queues';
const crumbs = [{ label: 'Queues', path: BASE }];

const STRATEGY_LABELS: Record<(typeof QUEUE_STRATEGIES)[number], string> = {
  'longest-idle-agent': 'Longest idle agent: the agent who has waited longest since a call',
  'ring-all': 'Ring all: every available agent at once',
  'round-robin': 'Round robin: the next agent after the one who took the last call',
  'top-down': 'Top down: always the first agent in the list, then the next',
  'agent-with-least-talk-time': 'Least talk time: the agent who talked least today',
  'agent-with-fewest-calls': 'Fewest calls: the agent who took the fewest calls',
  'sequentially-by-agent-order': 'In agent order: one agent after another, in the list order',
  random: 'Random: any available agent',
  'ring-progressively': 'Ring progressively: the first agent, then the first two, and so on',
};

export async function list(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const { q, page } = listQuery(req);
  const result = await portal.services.browse.page(v.actor, v.pbx.id, 'queues', { q, page, perPage: 50 });
  const rows = result.rows as unknown as Queue[];
  const labels = await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs(rows.map((r) => r.timeout)));
  renderPage(
    portal,
    req,
    res,
    'queues/list',
    {
      q,
      isAdmin: v.isAdmin,
      empty: result.total === 0,
      pager: pager(BASE, q, result),
      rows: rows.map((r) => ({
        number: r.number,
        name: r.name,
        strategy: STRATEGY_LABELS[r.strategy]?.split(':')[0] ?? r.strategy,
        agents: r.agentIds.length,
        timeout: describeDestination(r.timeout, labels),
        path: `${BASE}/${r.id}`,
        deletePath: `${BASE}/${r.id}/delete`,
      })),
    },
    { title: 'Queues' },
  );
}

async function extensions(portal: Portal, v: Viewer): Promise<Extension[]> {
  const r = await portal.services.browse.page(v.actor, v.pbx.id, 'extensions', { page: 1, perPage: 1000 });
  return r.rows as unknown as Extension[];
}

/** Live agent status, or the reason it cannot be shown (said plainly on the page). */
async function liveAgents(portal: Portal, v: Viewer, number: string) {
  const hook = portal.hooks.queueAgents;
  if (!hook) return { rows: null, note: 'Agent status is not available: this portal is not connected to FreeSWITCH.' };
  const answer = await Promise.race([
    hook({ context: v.pbx.context, domain: v.pbx.domain, number }).catch(() => null),
    new Promise<null>((r) => setTimeout(() => r(null), 1500).unref()),
  ]);
  if (!answer)
    return {
      rows: null,
      note: 'Agent status is not available right now: FreeSWITCH did not answer. The settings below still save.',
    };
  return {
    rows: answer,
    note: answer.length
      ? null
      : 'FreeSWITCH knows no agents of this queue yet (it loads them when the configuration is applied).',
  };
}

async function showForm(
  portal: Portal,
  req: Request,
  res: Response,
  o: { id: number | null; values: Values; agentIds: number[]; errors?: Record<string, string>; status?: number },
): Promise<void> {
  const v = viewer(res);
  const form = new FormView(o.values, o.errors ?? {});
  const catalog = await loadTargets(portal, v);
  const groups = await portal.services.browse.targets(v.actor, v.pbx.id, 'hold_music_group');
  const exts = await extensions(portal, v);
  const title = o.id === null ? 'New Queue' : `Queue ${o.values.number ?? ''} ${o.values.name ?? ''}`.trim();
  const chosen = new Set(o.agentIds);
  const ordered = [
    ...o.agentIds.map((id) => exts.find((e) => e.id === id)).filter((e): e is Extension => !!e),
    ...exts.filter((e) => !chosen.has(e.id)),
  ];
  const live = o.id !== null && o.values.number ? await liveAgents(portal, v, o.values.number) : null;
  renderPage(
    portal,
    req,
    res,
    'queues/form',
    {
      title,
      summary: form.summary(),
      name: form.text('name', 'Name', {
        maxlength: 50,
        hint: 'A name for this queue, shown in lists and on agents’ phones.',
      }),
      number: form.text('number', 'Queue Number', {
        inputmode: 'numeric',
        maxlength: 6,
        hint: 'Callers reach the queue at this number; agents log in and out by dialing the agent codes followed by it.',
      }),
      strategy: form.select(
        'strategy',
        'Strategy',
        QUEUE_STRATEGIES.map((s) => ({ value: s, label: STRATEGY_LABELS[s] })),
        {
          hint: 'Which available agent the next caller rings.',
        },
      ),
      holdMusic: form.select(
        'holdMusicGroupId',
        'Hold Music Group',
        [{ value: '', label: 'Default hold music' }].concat(
          (groups.items ?? []).map((g) => ({ value: String(g.id), label: g.label })),
        ),
        { hint: 'What callers hear while they wait for an agent.' },
      ),
      maxWait: form.text('maxWaitSec', 'Longest wait (seconds)', {
        inputmode: 'numeric',
        hint: 'A caller waits at most this long (10 to 3600 seconds), then goes to the destination after the wait.',
      }),
      noAgentWait: form.text('noAgentWaitSec', 'Wait with no agent logged in (seconds)', {
        inputmode: 'numeric',
        hint: 'While no agent is logged in, a caller waits at most this long (never longer than the longest wait), then goes to the destination after the wait.',
      }),
      timeout: pickerView(form, 'timeout', 'After the wait', 'general', catalog, {
        hint: 'Where callers go when nobody answered in time.',
        emptyLabel: 'Default: hang up',
      }),
      agents: ordered.map((e, i) => ({
        id: `f-agent-${e.id}`,
        value: String(e.id),
        label: `${e.number} ${e.name}`.trim(),
        checked: chosen.has(e.id),
        position: chosen.has(e.id) ? o.agentIds.indexOf(e.id) + 1 : null,
        first: i === 0,
      })),
      agentsError: o.errors?.agentIds ?? null,
      live,
      action: o.id === null ? `${BASE}/new` : `${BASE}/${o.id}`,
      submit: o.id === null ? 'Add Queue' : 'Save',
      deletePath: o.id === null ? null : `${BASE}/${o.id}/delete`,
    },
    { title, status: o.status, crumbs },
  );
}

export const newForm = (portal: Portal, req: Request, res: Response) =>
  showForm(portal, req, res, {
    id: null,
    values: { strategy: 'longest-idle-agent', maxWaitSec: '300', noAgentWaitSec: '30', 'timeout.kind': '' },
    agentIds: [],
  });

export async function edit(portal: Portal, req: Request, res: Response): Promise<void> {
  const v = viewer(res);
  const id = idParam(req);
  const q = (await portal.services.browse.get(v.actor, v.pbx.id, 'queues', id)) as unknown as Queue;
  const numbers = await portal.services.browse.labels(v.actor, v.pbx.id, objectRefs([q.timeout]));
  await showForm(portal, req, res, {
    id,
    agentIds: q.agentIds,
    values: {
      name: q.name,
      number: q.number,
      strategy: q.strategy,
      holdMusicGroupId: q.holdMusicGroupId == null ? '' : String(q.holdMusicGroupId),
      maxWaitSec: String(q.maxWaitSec),
      noAgentWaitSec: String(q.noAgentWaitSec ?? 30),
      ...destinationValues('timeout', q.timeout, numbers),
    },
  });
}

async function save(portal: Portal, req: Request, res: Response, id: number | null): Promise<void> {
  const v = viewer(res);
  const current =
    id === null ? null : ((await portal.services.browse.get(v.actor, v.pbx.id, 'queues', id)) as unknown as Queue);
  const values = postedValues(req.body);
  const posted = postedList(req.body, 'agentIds')
    .filter((x) => /^\d{1,15}$/.test(x))
    .map(Number);
  // Agents keep their place (their tier); newly ticked ones join at the end, in the order listed.
  const agentIds = [
    ...(current?.agentIds ?? []).filter((a) => posted.includes(a)),
    ...posted.filter((a) => !(current?.agentIds ?? []).includes(a)),
  ];
  const reshow = (errors: Record<string, string>, status: number) =>
    showForm(portal, req, res, { id, values, agentIds, errors, status });
  const timeout = await readDestination(portal, v, values, 'timeout');
  if ('error' in timeout) return reshow({ timeout: timeout.error }, 422);
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    number: values.number ?? '',
    strategy: values.strategy ?? '',
    agentIds,
    maxWaitSec: values.maxWaitSec ?? '',
    noAgentWaitSec: values.noAgentWaitSec ?? '',
    holdMusicGroupId: values.holdMusicGroupId ? values.holdMusicGroupId : null,
  };
  if (timeout.value !== undefined) input.timeout = timeout.value;
  const saved = await saveObject(portal, res, 'queues', id, input, reshow);
  if (!saved) return;
  flash(res, portal.secure, `Queue ${saved.number} saved.`);
  res.redirect(303, `${BASE}/${saved.id}`);
}

export const create = (portal: Portal, req: Request, res: Response) => save(portal, req, res, null);
export const update = (portal: Portal, req: Request, res: Response) => save(portal, req, res, idParam(req));

export const { deleteForm, remove } = deleteHandlers({
  kind: 'queues',
  base: BASE,
  crumbs,
  what: (r) => `queue ${r.number} ${r.name}`,
});
