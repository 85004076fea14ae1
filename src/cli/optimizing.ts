import { setFlagsFromString } from 'node:v8';

/**
 * Holds off V8's optimizing compiler (TurboFan) while a command reads, checks and converts sources (and, in a
 * build, until the issue is printed, Node mostly waiting on Chromium): the parser's and the checks' functions run
 * a few times each, and compiling them took the second core from the Chromium starting beside them (reading and
 * checking Hongkou took 1.35–1.6 s with it, 0.8–0.9 s without, bench/README.md).
 * V8 reads the flag each time a function is due to be optimized, so setting it after start takes effect.
 */
export function holdOptimizing(): void {
  setFlagsFromString('--no-turbofan');
}

/**
 * TurboFan back, for what loops long: the PDF's finishing (pdf-lib's parser, deflate). The build resumes it once
 * the issue is printed: resumed as soon as the HTML was made, it compiled the page's preparation instead (the
 * step before the page loads took as much longer as reading and checking had saved).
 */
export function resumeOptimizing(): void {
  setFlagsFromString('--turbofan');
}
