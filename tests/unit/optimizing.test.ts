import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { holdOptimizing, resumeOptimizing } from '../../src/cli/optimizing.js';

// V8's own view of a function (%GetOptimizationStatus); the bit it sets once a function runs optimized code.
setFlagsFromString('--allow-natives-syntax');
const optimizationStatus = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const optimized = 1 << 4;

/** Calls a new function (no feedback yet) in a hot loop for up to `ms`; whether V8 optimized it meanwhile. */
function optimizedWithin(ms: number): boolean {
  const square = new Function('x', 'return (x * x) % 7;') as (x: number) => number;
  const deadline = Date.now() + ms;
  let sum = 0;
  while (Date.now() < deadline) {
    for (let i = 0; i < 20_000; i++) sum += square(i);
    if (optimizationStatus(square) & optimized) return sum >= 0;
  }
  return false;
}

describe('holding off the optimizing compiler while a command reads its sources', () => {
  afterAll(resumeOptimizing);

  it('no function is optimized while it is held, and hot ones are again once it resumes', () => {
    holdOptimizing();
    expect(optimizedWithin(1500)).toBe(false);
    resumeOptimizing();
    expect(optimizedWithin(5000)).toBe(true);
  });
});
