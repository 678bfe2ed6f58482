// Randomness a failing run can replay: every random test draws from a generator seeded from TEST_SEED (or a fresh
// seed), and prints the seed, so `TEST_SEED=<seed> npx vitest run <file>` repeats the same draws.

/** A seeded generator of numbers in [0, 1) (mulberry32), and the seed it started from. */
export function seededRandom(testName: string): { seed: number; random: () => number } {
  const fromEnv = process.env.TEST_SEED;
  if (fromEnv !== undefined && !/^\d+$/.test(fromEnv))
    throw new Error(`TEST_SEED='${fromEnv}' is not a number`);
  const seed = fromEnv !== undefined ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`${testName}: seed ${seed} (replay with TEST_SEED=${seed})`);
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, random };
}
