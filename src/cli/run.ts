import { main } from './index.js';

/** The process boundary: argv, stderr progress, exit code. Only this file touches `process`. */
const quiet = process.argv.includes('--quiet') || process.argv.includes('-q');
const argv = process.argv.slice(2).filter((arg) => arg !== '--quiet' && arg !== '-q');
const code = await main(argv, {
  cwd: process.cwd(),
  stdout: (line) => process.stdout.write(`${line}\n`),
  logger: {
    progress: (message) => {
      if (!quiet) process.stderr.write(`  ${message}\n`);
    },
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    info: (message) => process.stderr.write(`${message}\n`),
  },
});
process.exitCode = code;
