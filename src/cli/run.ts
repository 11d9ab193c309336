// Process entry of the CLI (bin/dialtone.js imports this): runs one command and ends with its status.
import { textPieces } from '../text-pieces';
import { runCli } from './main';

// process.exit() would drop whatever stdout still has queued for a pipe (`dialtone … --json | cat` lost all but the
// first 64 kB); setting exitCode lets Node flush both streams and end once nothing is left to do. runCli closes the
// database, and nothing else it opens outlives the command (timers it starts are unref'd).
// A listing's JSON is megabytes: written in 64 kB pieces (see text-pieces.ts), not as one string plus a newline.
const out = (t: string) => {
  for (const piece of textPieces(t, 1 << 16)) process.stdout.write(piece);
  process.stdout.write('\n');
};

runCli(process.argv.slice(2), {
  out,
  err: (t) => process.stderr.write(`${t}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dialtone: internal error: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 3;
  },
);
