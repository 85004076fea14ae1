import { setFlagsFromString } from 'node:v8';

/**
 * Holds off V8's optimizing compiler (TurboFan) while a command reads, checks and converts sources: the parser's
 * and the checks' functions run a few times each, and compiling them took the second core from the Chromium
 * starting beside them (reading and checking a sample took 1.4–1.7 s with it, 0.8–1.1 s without, bench/README.md).
 * V8 reads the flag each time a function is due to be optimized, so setting it after start takes effect.
 */
export function holdOptimizing(): void {
  setFlagsFromString('--no-turbofan');
}

/** TurboFan back, for what loops long: the layout cache's hashing, the PDF's finishing (pdf-lib, deflate). */
export function resumeOptimizing(): void {
  setFlagsFromString('--turbofan');
}
