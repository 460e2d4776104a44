import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcrypt';
import { describeChanges, diffFields, type FieldValue } from '../domain/changes.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { AuditService } from './audit.js';
import { inTransaction, toBool, type Role, type ServiceContext } from './context.js';
import { countOf, insertRow, updateRow } from './rows.js';
import { PasswordChangeSchema, UserCreateSchema, UserUpdateSchema, type PasswordChange, type UserCreate, type UserUpdate } from './schemas/users.js';
import { parseInput } from './validate.js';
import { bcryptRounds } from './password-cost.js';
import { hashToken } from './sessions.js';

/**
 * The credential a request was made with (a bearer token or the panel session id): kept when
 * its own user changes the password, so the person who just proved it stays logged in.
 */
export interface CurrentCredential {
  token?: string;
  panelSessionId?: string;
}

export interface User {
  id: number;
  username: string;
  role: Role;
  is_active: boolean;
  full_name: string | null;
  email: string | null;
  designation: string | null;
  department: string | null;
  /** Every route but the password change (and logout) refuses this user until they choose a new password. */
  must_change_password: boolean;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

interface UserRow extends Omit<User, 'is_active' | 'must_change_password'> {
  is_active: boolean | number;
  must_change_password: boolean | number;
  password_hash: string;
}

const PROFILE = ['full_name', 'email', 'designation', 'department'] as const;
const PUBLIC = ['id', 'username', 'role', 'is_active', ...PROFILE, 'must_change_password', 'last_login_at', 'created_at', 'updated_at'];
/** What an update may change besides the password (compared with the stored value; only differences are written). */
const EDITABLE = ['username', 'role', 'is_active', ...PROFILE, 'must_change_password'] as const;

/** bcrypt cost (see password-cost.ts: 12 unless IPOCKET_BCRYPT_ROUNDS lowers it). */
export const BCRYPT_ROUNDS = bcryptRounds();
// Compared against when the user does not exist, so a login takes as long either way. Made on the
// first such login, not at import: a hash at cost 12 is 0.2 s of every start and every CLI command.
let dummyHash: Promise<string> | undefined;
const unknownUserHash = (): Promise<string> => (dummyHash ??= bcrypt.hash('not-a-real-password', BCRYPT_ROUNDS));

/**
 * Users and their credentials; the last active superuser can never be removed or demoted, and no
 * one changes their own role, deactivates or deletes themselves (the API and the panel alike).
 */
export class UsersService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(): Promise<User[]> {
    return ((await this.ctx.db('users').select(PUBLIC).orderBy('username')) as UserRow[]).map(toUser);
  }

  async get(id: number): Promise<User> {
    const row = (await this.ctx.db('users').select(PUBLIC).where({ id }).first()) as UserRow | undefined;
    if (!row) throw new NotFoundError('User', id);
    return toUser(row);
  }

  async count(): Promise<number> {
    return countOf(this.ctx.db('users'));
  }

  async create(input: UserCreate): Promise<User> {
    const data = parseInput(UserCreateSchema, input);
    const hash = await bcrypt.hash(data.password, BCRYPT_ROUNDS);
    return inTransaction(this.ctx.db, async (trx) => {
      const now = formatTimestamp();
      const row = {
        username: data.username,
        password_hash: hash,
        role: data.role,
        is_active: data.is_active,
        full_name: data.full_name ?? null,
        email: data.email ?? null,
        designation: data.designation ?? null,
        department: data.department ?? null,
        must_change_password: data.must_change_password ?? false,
        created_at: now,
        updated_at: now,
      };
      const id = await insertRow(trx, 'users', row, await conflictOn(trx, data.username, data.email ?? null, null));
      const user = await new UsersService({ ...this.ctx, db: trx }).get(id);
      await this.audit(trx, 'CREATE', user, describeChanges(diffFields({}, view(user))));
      return user;
    });
  }

  async update(id: number, input: UserUpdate, current: CurrentCredential = {}): Promise<User> {
    const patch = parseInput(UserUpdateSchema, input);
    const hash = patch.password ? await bcrypt.hash(patch.password, BCRYPT_ROUNDS) : undefined;
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new UsersService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      const set: Record<string, unknown> = {};
      for (const key of EDITABLE) if (patch[key] !== undefined && patch[key] !== before[key]) set[key] = patch[key];
      if (hash) {
        set.password_hash = hash;
        // Someone else chose this password (a superuser's reset): its owner must replace it at the next
        // login, unless the reset says otherwise. Setting one's own password clears the demand.
        const resetByOther = this.ctx.actor.userId !== null && id !== this.ctx.actor.userId;
        const must = patch.must_change_password ?? resetByOther;
        if (must !== before.must_change_password) set.must_change_password = must;
        else delete set.must_change_password;
      }
      if (Object.keys(set).length === 0) return before;
      // Checked first: demoting oneself is refused as such, even as the last superuser.
      if (id === this.ctx.actor.userId && set.role !== undefined) throw ValidationError.field('role', 'You cannot change your own role; ask another superuser.');
      const losesSuperuser = before.role === 'superuser' && before.is_active && (set.role !== undefined || set.is_active === false);
      if (losesSuperuser) await self.assertAnotherSuperuser(id);
      if (id === this.ctx.actor.userId && set.is_active === false) throw new ConflictError('You cannot deactivate your own account.');
      await updateRow(trx, 'users', id, { ...set, updated_at: formatTimestamp() }, await conflictOn(trx, String(patch.username ?? before.username), (set.email as string | null | undefined) ?? null, id));
      // A changed password or a deactivation ends every other token and panel session; a role change ends the
      // tokens (the panel re-reads the role on each request).
      if (hash || set.is_active === false) await endSessions(trx, id, id === this.ctx.actor.userId ? current : {});
      else if (set.role !== undefined) await trx('sessions').where({ user_id: id }).delete();
      const after = await self.get(id);
      const changes = diffFields(view(before), view(after));
      const text = [describeChanges(changes), hash ? 'password: changed' : ''].filter(Boolean).join('; ');
      await this.audit(trx, 'UPDATE', after, text);
      return after;
    });
  }

  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new UsersService({ ...this.ctx, db: trx });
      const user = await self.get(id);
      if (id === this.ctx.actor.userId) throw new ConflictError('You cannot delete your own account.');
      if (user.role === 'superuser' && user.is_active) await self.assertAnotherSuperuser(id);
      await trx('users').where({ id }).delete();
      await this.audit(trx, 'DELETE', user, describeChanges(diffFields(view(user), {})));
    });
  }

  /**
   * Checks a username/password pair; null when wrong or inactive. Takes a bcrypt compare either
   * way. A legacy hash (migrated from the original) that matches is replaced by bcrypt here, so
   * it is accepted once.
   */
  async verifyCredentials(username: string, password: string): Promise<User | null> {
    const row = (await this.ctx.db('users').where({ username }).first()) as UserRow | undefined;
    const ok = await passwordMatches(password, row?.password_hash ?? (await unknownUserHash()));
    if (!row || !ok || !toBool(row.is_active)) return null;
    if (isLegacyHash(row.password_hash)) {
      const hash = await bcrypt.hash(password, BCRYPT_ROUNDS);
      // Only if unchanged meanwhile: a concurrent login upgrades it once.
      await this.ctx.db('users').where({ id: row.id, password_hash: row.password_hash }).update({ password_hash: hash, updated_at: formatTimestamp() });
    }
    return toUser(row);
  }

  /** The id of a username (null when no such user): names a failed login's target. */
  async idOf(username: string): Promise<number | null> {
    const row = (await this.ctx.db('users').where({ username }).first('id')) as { id: number } | undefined;
    return row ? Number(row.id) : null;
  }

  /** Records a successful login's time (VMI's last_login_at) and returns the user as now stored. */
  async stampLogin(id: number): Promise<User> {
    await this.ctx.db('users').where({ id }).update({ last_login_at: formatTimestamp() });
    return this.get(id);
  }

  /** The acting user changes their own password, proving the current one. */
  async changeOwnPassword(input: PasswordChange, current: CurrentCredential = {}): Promise<void> {
    const data = parseInput(PasswordChangeSchema, input);
    const userId = this.ctx.actor.userId;
    if (userId === null) throw new ValidationError([{ loc: ['body'], msg: 'Only a logged-in user can change a password.', type: 'value_error' }]);
    const row = (await this.ctx.db('users').where({ id: userId }).first()) as UserRow | undefined;
    if (!row || !(await passwordMatches(data.current_password, row.password_hash))) {
      throw ValidationError.field('current_password', 'The current password is not correct.');
    }
    const hash = await bcrypt.hash(data.new_password, BCRYPT_ROUNDS);
    await inTransaction(this.ctx.db, async (trx) => {
      await trx('users').where({ id: userId }).update({ password_hash: hash, must_change_password: false, updated_at: formatTimestamp() });
      await endSessions(trx, userId, current);
      const cleared = toBool(row.must_change_password) ? '; must_change_password: True -> False' : '';
      await this.audit(trx, 'UPDATE', toUser(row), `password: changed${cleared}`);
    });
  }

  private async assertAnotherSuperuser(exceptId: number): Promise<void> {
    const others = await countOf(this.ctx.db('users').where({ role: 'superuser', is_active: true }).whereNot({ id: exceptId }));
    if (others === 0) throw new ConflictError('This is the last active superuser; create or promote another one first.');
  }

  private async audit(db: ServiceContext['db'], action: 'CREATE' | 'UPDATE' | 'DELETE', user: User, changes: string): Promise<void> {
    await new AuditService({ ...this.ctx, db }).record({ targetType: 'USER', targetId: user.id, targetLabel: user.username, action, changes });
  }
}

/** The original's oldest accounts: an unsalted SHA-256 hex digest of the password. */
function isLegacyHash(hash: string): boolean {
  return hash.length === 64 && /^[0-9a-f]{64}$/i.test(hash);
}

/** bcrypt (ours and the original's passlib `$2b$`), or a legacy SHA-256 digest compared in constant time. */
async function passwordMatches(password: string, hash: string): Promise<boolean> {
  if (!isLegacyHash(hash)) return bcrypt.compare(password, hash);
  const digest = createHash('sha256').update(password, 'utf8').digest();
  return timingSafeEqual(digest, Buffer.from(hash, 'hex'));
}

/**
 * Ends the user's API tokens and panel sessions except the current credential. Panel sessions
 * are express-session JSON (`{"cookie":…,"adminUser":{"id":N,…}}`): LIKE narrows, the parse decides.
 */
async function endSessions(trx: ServiceContext['db'], userId: number, keep: CurrentCredential): Promise<void> {
  const tokens = trx('sessions').where({ user_id: userId });
  if (keep.token) tokens.whereNot({ token_hash: hashToken(keep.token) });
  await tokens.delete();
  const keepSid = keep.panelSessionId ? hashToken(keep.panelSessionId) : null;
  const rows = (await trx('panel_sessions').select('sid', 'sess').where('sess', 'like', `%"adminUser":{"id":${userId},%`)) as { sid: string; sess: unknown }[];
  const doomed = rows.filter((r) => r.sid !== keepSid && sessionUserId(r.sess) === userId).map((r) => r.sid);
  for (let i = 0; i < doomed.length; i += 500) await trx('panel_sessions').whereIn('sid', doomed.slice(i, i + 500)).delete();
}

function sessionUserId(sess: unknown): number | null {
  try {
    const data = (typeof sess === 'string' ? JSON.parse(sess) : sess) as { adminUser?: { id?: unknown } } | null;
    return data?.adminUser?.id === undefined ? null : Number(data.adminUser.id);
  } catch {
    return null;
  }
}

function toUser(row: UserRow): User {
  return {
    id: Number(row.id),
    username: row.username,
    role: row.role,
    is_active: toBool(row.is_active),
    full_name: row.full_name ?? null,
    email: row.email ?? null,
    designation: row.designation ?? null,
    department: row.department ?? null,
    must_change_password: toBool(row.must_change_password),
    last_login_at: row.last_login_at ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function view(u: User): Record<string, FieldValue> {
  return { username: u.username, role: u.role, is_active: u.is_active, full_name: u.full_name, email: u.email, designation: u.designation, department: u.department, must_change_password: u.must_change_password };
}

/**
 * The 409 for a unique violation on insert/update: the email when another user holds it (checked
 * after the failed write would be too late in a PostgreSQL transaction, so it is looked up first),
 * else the username.
 */
async function conflictOn(db: ServiceContext['db'], username: string, email: string | null, exceptId: number | null): Promise<ConflictError> {
  const holder = email === null ? undefined : await db('users').where({ email }).modify((q) => void (exceptId !== null && q.whereNot({ id: exceptId }))).first('id');
  if (holder) {
    return new ConflictError(`Email "${email}" is already used by another user.`, 'email');
  }
  return new ConflictError(`User "${username}" already exists.`, 'username');
}
