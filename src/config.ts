import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { minBcryptRounds } from './services/password-cost.js';

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''].includes(v), 'expected 1/0, true/false, yes/no')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const seconds = z.coerce.number().int().positive();

/** Every setting ipocket reads from the environment, with the default that serves a first run. */
const EnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v) || v.startsWith('sqlite:'), 'use postgres://… or sqlite:<path>')
    .default(''),
  IPOCKET_DATA_DIR: z.string().trim().min(1).default('./data'),
  IPOCKET_ADMIN_USER: z.string().trim().min(1).max(64).default('admin'),
  IPOCKET_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  IPOCKET_SESSION_IDLE_SECONDS: seconds.default(8 * 3600),
  IPOCKET_SESSION_MAX_SECONDS: seconds.default(7 * 24 * 3600),
  IPOCKET_TOKEN_TTL_SECONDS: seconds.default(12 * 3600),
  IPOCKET_REQUIRE_LOGIN_FOR_READ: flag.default(false),
  IPOCKET_AUTO_HOST_FOR_BMC: flag.default(true),
  IPOCKET_SD_TOKEN: z.string().optional(),
  IPOCKET_MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(10),
  IPOCKET_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  IPOCKET_TRUST_PROXY: flag.default(false),
  IPOCKET_COOKIE_SECURE: flag.default(false),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  IPOCKET_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(8),
  // Read where they are used (src/plugins/limits.ts, src/services/users.ts, src/cli/serve.ts);
  // listed here so a bad value stops start-up with the variable's name.
  IPOCKET_IMPORT_MAX_ROWS: z.coerce.number().int().positive().optional(),
  IPOCKET_IMPORT_ZIP_MAX_ENTRIES: z.coerce.number().int().positive().optional(),
  IPOCKET_IMPORT_ZIP_MAX_BYTES: z.coerce.number().int().positive().optional(),
  // Its floor (10; 4 under node's test runner) is checked in loadConfig, where the whole env is known.
  IPOCKET_BCRYPT_ROUNDS: z.coerce.number().int().min(4, 'must be at least 4').max(15).optional(),
  IPOCKET_SCHEDULER: flag.optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  host: string;
  port: number;
  dataDir: string;
  database: { client: 'sqlite'; filename: string } | { client: 'pg'; connectionString: string };
  admin: { username: string; password?: string };
  sessionSecret: string;
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  tokenTtlSeconds: number;
  requireLoginForRead: boolean;
  autoHostForBmc: boolean;
  sdToken?: string;
  maxUploadBytes: number;
  secretKey: string;
  trustProxy: boolean;
  cookieSecure: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** How long SIGTERM/SIGINT wait for runs and requests in flight before interrupting them. */
  shutdownGraceSeconds: number;
}

export class ConfigError extends Error {}

/** Reads the environment into one validated object; a bad value throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in EnvSchema.shape && v !== ''));
  const result = EnvSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  const minRounds = minBcryptRounds(env);
  if (e.IPOCKET_BCRYPT_ROUNDS !== undefined && e.IPOCKET_BCRYPT_ROUNDS < minRounds) throw new ConfigError(`Invalid configuration:\n  IPOCKET_BCRYPT_ROUNDS: must be at least ${minRounds}`);
  const dataDir = path.resolve(e.IPOCKET_DATA_DIR);
  const database: AppConfig['database'] = e.DATABASE_URL.startsWith('postgres')
    ? { client: 'pg', connectionString: e.DATABASE_URL }
    : {
        client: 'sqlite',
        filename: e.DATABASE_URL.startsWith('sqlite:')
          ? e.DATABASE_URL.slice('sqlite:'.length)
          : path.join(dataDir, 'ipocket.sqlite'),
      };
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir,
    database,
    admin: { username: e.IPOCKET_ADMIN_USER, password: e.IPOCKET_ADMIN_PASSWORD },
    sessionSecret: e.SESSION_SECRET ?? persistentSecret(dataDir, 'session-secret'),
    sessionIdleSeconds: e.IPOCKET_SESSION_IDLE_SECONDS,
    sessionMaxSeconds: e.IPOCKET_SESSION_MAX_SECONDS,
    tokenTtlSeconds: e.IPOCKET_TOKEN_TTL_SECONDS,
    requireLoginForRead: e.IPOCKET_REQUIRE_LOGIN_FOR_READ,
    autoHostForBmc: e.IPOCKET_AUTO_HOST_FOR_BMC,
    sdToken: e.IPOCKET_SD_TOKEN,
    maxUploadBytes: Math.round(e.IPOCKET_MAX_UPLOAD_MB * 1024 * 1024),
    secretKey: e.IPOCKET_SECRET_KEY ?? persistentSecret(dataDir, 'secret-key'),
    trustProxy: e.IPOCKET_TRUST_PROXY,
    cookieSecure: e.IPOCKET_COOKIE_SECURE,
    logLevel: e.LOG_LEVEL,
    shutdownGraceSeconds: e.IPOCKET_SHUTDOWN_GRACE_SECONDS,
  };
}

/** A random secret generated once and kept (mode 0600) in the data dir, so restarts keep sessions valid. */
function persistentSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
