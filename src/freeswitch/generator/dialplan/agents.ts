// Queue agents set their mod_callcenter status from the phone: login / logout / break, optionally + queue number.
// The agent is named <extension number>@<domain>: flows/ writes the same names into callcenter.conf.
import type { Queue } from '../../../domain/model';
import { act, codeRegex, type DialplanExtension, dest, hangup, oneOf, set, transferTo } from './dsl';
import { extensions, num } from './identity';
import { PROMPT } from './prompts';
import type { Scope } from './scope';

/** mod_callcenter status words; two-word statuses must be quoted (unquoted 'On Break' is refused). */
const STATUS = { agentLogin: 'Available', agentLogout: "'Logged Out'", agentBreak: "'On Break'" } as const;

export const agentName = (extensionNumber: string, domain: string): string => `${extensionNumber}@${domain}`;

function agentNumbers(s: Scope, queues: Queue[]): string | null {
  const ids = new Set(queues.flatMap((q) => q.agentIds));
  return oneOf(
    extensions(s.snap)
      .filter((e) => ids.has(e.id))
      .map((e) => num(e.number)),
  );
}

export function agentExtensions(s: Scope): DialplanExtension[] {
  const queues = [...s.snap.queues].filter((q) => num(q.number)).sort((a, b) => a.id - b.id);
  const all = agentNumbers(s, queues);
  if (!all) return [];
  const out: DialplanExtension[] = [];
  for (const key of ['agentLogin', 'agentLogout', 'agentBreak'] as const) {
    const c = s.snap.pbx.featureCodes[key].replace(/[^0-9*#]/g, '');
    if (!c) continue;
    // The bare code for any agent; code + queue number only for that queue's agents.
    const variants: Array<[string, string]> = [[`^${codeRegex(c)}$`, all]];
    for (const q of queues) {
      const members = agentNumbers(s, [q]);
      if (members) variants.push([`^${codeRegex(c)}${num(q.number)}$`, members]);
    }
    variants.forEach(([expression, members], i) => {
      out.push({
        name: `${key}_${i}`,
        conditions: [
          dest(expression),
          {
            field: '${dialtone_extension}',
            expression: `^${members}$`,
            actions: [
              act('answer'),
              set(
                'dt_agent_result',
                `\${callcenter_config(agent set status ${agentName('$1', s.domain)} ${STATUS[key]})}`,
              ),
              transferTo('dt_agent_ack', s.ctx),
            ],
            anti: [act('answer'), act('playback', PROMPT.error), hangup('CALL_REJECTED')],
          },
        ],
      });
    });
  }
  out.push({
    name: 'dt_agent_ack',
    conditions: [
      dest('^dt_agent_ack$'),
      {
        field: '${dt_agent_result}',
        expression: '^\\+OK',
        actions: [act('playback', PROMPT.ok), hangup('NORMAL_CLEARING')],
        anti: [act('playback', PROMPT.error), hangup('NORMAL_CLEARING')],
      },
    ],
  });
  return out;
}
