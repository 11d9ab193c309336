// The command table (what `dialtone --help` prints without loading any command) says exactly what the commands say.
import { expect } from 'chai';
import { COMMAND_TABLE } from '../../src/cli/command-table';
import { allCommands } from '../../src/cli/commands';

describe('CLI command table', () => {
  it('lists every command with the usage and summary of its code, in the same order', async () => {
    expect(
      COMMAND_TABLE.map((c) => ({ name: c.name, usage: c.usage, summary: c.summary })),
      'src/cli/command-table.ts must repeat each command of src/cli/commands.ts',
    ).to.deep.equal((await allCommands()).map((c) => ({ name: c.name, usage: c.usage, summary: c.summary })));
  });
});
