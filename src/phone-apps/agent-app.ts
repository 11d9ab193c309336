// Agent status on the phone: see and switch between Available, On Break and Logged Out (mod_callcenter), and the
// idle-screen status (Polycom idle browser page; Yealink gets the same words pushed, see agent-push.ts).
// The agent is always the phone's line-1 extension: the phone cannot ask about anyone else.
import { NotFoundError } from '../domain/errors';
import type { Extension } from '../domain/model';
import { PHONE_AGENT_STATUSES, type PhoneAgentStatus } from '../services/agent-status';
import type { AppContext } from './context';
import { EXIT, type Screen, type StatusScreen } from './screen';

const SLUG: Record<string, PhoneAgentStatus> = {
  available: 'Available',
  'on-break': 'On Break',
  'logged-out': 'Logged Out',
};
const slugOf = (s: PhoneAgentStatus): string => Object.entries(SLUG).find(([, v]) => v === s)![0];

function primary(ctx: AppContext): Extension | null {
  const id = ctx.device.extensionIds[0];
  return ctx.snap.extensions.find((e) => e.id === id) ?? null;
}

/** The words the idle screen shows for a status; none when nobody is logged in (the phone shows its logo). */
export function idleStatus(status: string | null, refreshSeconds: number): StatusScreen {
  const loggedIn = status !== null && status !== 'Logged Out';
  return {
    type: 'status',
    title: 'Agent status',
    lines: loggedIn ? [`Agent: ${status}`] : [],
    refreshSeconds,
    tone: status === 'Available' || status === 'Available (On Demand)' ? 'ok' : loggedIn ? 'warn' : 'off',
  };
}

export async function agentApp(ctx: AppContext, segments: string[], idleRefreshSeconds: number): Promise<Screen> {
  const ext = primary(ctx);
  const agents = ctx.services.agents;
  const [what, slug] = segments;
  if (what === 'idle') return idleStatus(ext ? await agents.status(ctx.snap, ext) : null, idleRefreshSeconds);
  if (what === 'set') {
    const status = slug === undefined ? undefined : SLUG[slug];
    if (!status || !ext) throw new NotFoundError('no such status');
    await agents.setStatus(ctx.snap, ext, status);
  } else if (what !== undefined) throw new NotFoundError('no such page');
  const status = ext ? await agents.status(ctx.snap, ext) : null;
  if (status === null)
    return {
      type: 'text',
      title: 'Agent status',
      lines: ['This phone is not a queue agent.'],
      softkeys: [{ label: 'Exit', target: EXIT }],
    };
  return {
    type: 'menu',
    title: `Agent: ${status}`,
    items: PHONE_AGENT_STATUSES.map((s) => ({
      label: s === status ? `* ${s}` : `  ${s}`,
      target: ctx.go(`agent/set/${slugOf(s)}`),
    })),
    softkeys: [
      { label: 'Refresh', target: ctx.go('agent') },
      { label: 'Exit', target: EXIT },
    ],
  };
}
