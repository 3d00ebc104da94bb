import type { Kysely } from 'kysely';
import type { Role } from '../../../shared/api';
import { hashPassword } from '../auth/password';
import type { Database } from '../db/schema';
import { randomId, type RandomBytes } from '../random';

export interface DemoAccount {
  readonly email: string;
  readonly password: string;
  readonly fullName: string;
  readonly role: Role;
}

/** Demo accounts for `npm start` and the end-to-end tests. Public on purpose: never use them in production. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'learner@invigil.test', password: 'learner-demo-1', fullName: 'Amara Okafor', role: 'learner' },
  { email: 'learner2@invigil.test', password: 'learner-demo-2', fullName: 'Jonas Müller', role: 'learner' },
  { email: 'proctor@invigil.test', password: 'proctor-demo-1', fullName: 'Priya Raman', role: 'proctor' },
  /** A second proctor: suspicious and violating attempts need another proctor's review. */
  { email: 'proctor2@invigil.test', password: 'proctor-demo-2', fullName: 'Tomás Herrera', role: 'proctor' },
  { email: 'admin@invigil.test', password: 'admin-demo-1', fullName: 'Sam Whitfield', role: 'admin' },
];

/**
 * Added by the `test` seed: the learner whose registered name is on the fixture ID card
 * (`../shared/fixtures/camera/id_card.mjpeg`), so the end-to-end identity check can pass.
 */
export const TEST_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'kwame@invigil.test', password: 'learner-test-kwame', fullName: 'Kwame Mensah', role: 'learner' },
];

/** Creates each account that does not exist yet; existing accounts (and changed passwords) are left alone. */
export async function ensureAccounts(
  db: Kysely<Database>,
  accounts: readonly DemoAccount[],
  deps: { clock: () => number; random: RandomBytes },
): Promise<number> {
  let created = 0;
  for (const account of accounts) {
    const exists = await db.selectFrom('users').select('id').where('email', '=', account.email).executeTakeFirst();
    if (exists) continue;
    const result = await db
      .insertInto('users')
      .values({
        id: randomId(deps.random),
        email: account.email,
        full_name: account.fullName,
        role: account.role,
        password_hash: await hashPassword(account.password, deps.random),
        created_at: deps.clock(),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return created;
}

export function describeDemoAccounts(accounts: readonly DemoAccount[]): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = accounts.map((a) => `  ${a.role.padEnd(8)} ${a.email.padEnd(width)}  ${a.password}  (${a.fullName})`);
  return ['Demo accounts (demo data only):', ...lines].join('\n');
}
