import { localeFrom } from '../model/i18n.js';
import { main } from './index.js';

/** The process boundary: argv, signals, stderr progress, exit code. Only this file touches `process`. */
const quiet = process.argv.includes('--quiet') || process.argv.includes('-q');
const argv = process.argv.slice(2).filter((arg) => arg !== '--quiet' && arg !== '-q');

// Ctrl-C or a kill: stop the browser and let the command fail; outputs are only ever renamed into place, so
// the previous PDF stays. A second signal exits at once.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write(`gazette: ${signal}: stopping\n`);
    interrupt.abort(new Error(`interrupted by ${signal}`));
  });
}

// A reader that stops early (`gazette toc … | head`) closes the pipe: that is the end, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(argv, {
  cwd: process.cwd(),
  locale: localeFrom(process.env),
  signal: interrupt.signal,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (text) => process.stderr.write(text),
  logger: {
    progress: (message) => {
      if (!quiet) process.stderr.write(`  ${message}\n`);
    },
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    info: (message) => process.stderr.write(`${message}\n`),
  },
});
process.exitCode = interrupt.signal.aborted ? 130 : code;
