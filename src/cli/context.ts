import type { Logger } from '../api/logger.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliContext {
  cwd: string;
  logger: Logger;
  stdout: (line: string) => void;
}

/** A failure the user caused: the message is shown as it is, with this exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function fail(message: string, exitCode: 1 | 2 = 1): never {
  throw new CliError(message, exitCode);
}
