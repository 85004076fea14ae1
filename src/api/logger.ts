/** Where the commands report: progress and warnings to the person at the terminal, never into the output. */
export interface Logger {
  /** A step of the work: which issue, document, stage, pages so far. */
  progress(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** A timing mark (what just finished), for the benchmark's profile; the commands do not show it. */
  step?(name: string): void;
}

export const silentLogger: Logger = { progress() {}, warn() {}, info() {} };
