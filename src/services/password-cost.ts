/**
 * bcrypt's cost factor. Production hashes at 12, and IPOCKET_BCRYPT_ROUNDS may lower it to 10 at
 * the least. Under node's test runner (it sets NODE_TEST_CONTEXT in each test file's process, and
 * what a test spawns with that env inherits it) bcrypt's own minimum, 4, is allowed too: a hash
 * at 4 costs ~5 ms against ~140 ms at 10, and the suites hash and log in thousands of times.
 */
export const DEFAULT_BCRYPT_ROUNDS = 12;

/** The lowest cost IPOCKET_BCRYPT_ROUNDS may ask for in this environment. */
export function minBcryptRounds(env: NodeJS.ProcessEnv = process.env): number {
  return env.NODE_TEST_CONTEXT ? 4 : 10;
}

/** The cost new hashes use: IPOCKET_BCRYPT_ROUNDS when given, never below the floor. */
export function bcryptRounds(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.IPOCKET_BCRYPT_ROUNDS ?? DEFAULT_BCRYPT_ROUNDS) || DEFAULT_BCRYPT_ROUNDS;
  return Math.max(minBcryptRounds(env), asked);
}
