// The command-line conventions of scripts/lib/cli.sh for the Node programs in scripts/, which take
// no arguments (their settings come from the environment): -h or --help prints the usage and exits
// 0 before anything is loaded or started; any other argument prints the reason and the usage on
// standard error and exits 2.
export function answerCommandLine(program, usage) {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (args.length > 0) {
    const reason = args[0].startsWith('-') ? `unknown option ${args[0]}` : `unexpected argument ${args[0]}`;
    process.stderr.write(`${program}: ${reason}\n${usage}\n`);
    process.exit(2);
  }
}
