// Yealink idle screens follow the agent: a callcenter::info event (in the captured shape) from the fake event
// socket makes Dialtone send a NOTIFY event carrying a YealinkIPPhoneStatus, only for Yealink phones of agents
// whose extension shows the status; Logged Out clears it.
import { expect } from 'chai';
import { parseEventFrame } from '../../src/freeswitch/event-socket/event';
import { AgentStatusPush } from '../../src/phone-apps/agent-push';
import { AgentStatusService } from '../../src/services/agent-status';
import { eslFixtureFrames } from '../fakes/esl-fixtures';
import { waitFor } from '../fakes/fake-esl-server';
import { type AppsWorld, openAppsWorld } from './world';

const CAPTURED = 'esl-event-plain-CUSTOM-callcenter_info.txt';

describe('phone apps: agent status pushed to Yealink idle screens', function () {
  this.timeout(60_000);
  let w: AppsWorld;
  let stop: () => void;

  before(async () => {
    w = await openAppsWorld();
    const push = new AgentStatusPush({
      agents: new AgentStatusService(w.fs),
      snapshots: w.live,
      profiles: w.catalog,
    });
    stop = await push.start();
    await waitFor(() => w.esl.commandTexts().some((c) => c.startsWith('event plain')), 'the event subscription');
  });
  after(async () => {
    stop?.();
    await w?.close();
  });

  const sent = () => w.esl.commands.filter((c) => c.command === 'sendevent NOTIFY');

  /** The captured callcenter::info event with some headers replaced, re-serialized as FreeSWITCH does. */
  function captured(replace: Record<string, string>): void {
    const event = parseEventFrame(eslFixtureFrames(CAPTURED)[0]!);
    w.esl.pushEvent({ headers: event.headerList.map((h) => [h.name, replace[h.name] ?? h.value] as const) });
  }
  const change = (status: string) => captured({ 'CC-Agent': '102@demo.dialtone.test', 'CC-Agent-Status': status });

  it('sends the new status to the agent, as a Yealink-xml NOTIFY', async () => {
    change('On Break');
    await waitFor(() => sent().length === 1, 'the NOTIFY');
    const [notify] = sent();
    const header = (n: string) => notify!.headers.find((h) => h.name === n)?.value;
    expect([header('event-string'), header('user'), header('host'), header('content-type')]).to.deep.equal([
      'Yealink-xml',
      '102',
      'demo.dialtone.test',
      'application/xml',
    ]);
    expect(notify!.body).to.match(
      /^<\?xml version="1.0" encoding="UTF-8"\?><YealinkIPPhoneStatus Beep="no" SessionID="dialtone-agent" Timeout="0">/,
    );
    expect(notify!.body).to.contain('>Agent: On Break</Message>');
  });

  it('clears the idle status when the agent logs out, and ignores agents without a Yealink idle status', async () => {
    change('Logged Out');
    await waitFor(() => sent().length === 2, 'the clearing NOTIFY');
    expect(sent()[1]!.body).to.not.contain('<Message');
    captured({ 'CC-Agent': '103@demo.dialtone.test' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sent()).to.have.length(2);
  });
});
