// Process entry of the CLI (bin/dialtone.js imports this): runs one command and exits with its status.
import { runCli } from './main';

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
}).then((code) => process.exit(code));
