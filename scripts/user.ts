/**
 * Accounts and machine tokens from the command line (the first admin has no one to make it):
 *   npm run user:add -- --email anna@example.org --role admin [--name "Anna"] [--team salaris] [--password …]
 *   npm run token:add -- --name telefonie --role agent
 * Without --password a strong one is generated and printed once. Uses Loket's environment
 * (DATABASE_URL, or the embedded database under DATA_DIR).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createUser } from '../src/auth/accounts.js';
import { createApiToken } from '../src/auth/sessions.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { ROLES } from '../src/db/schema.js';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, team: { type: 'string' }, password: { type: 'string' } },
});

const role = z.enum(ROLES, { message: `--role must be one of ${ROLES.join(', ')}` });
const userArgs = z.object({
  email: z.email({ message: '--email must be an e-mail address' }),
  role,
  name: z.string().min(1).optional(),
  team: z.string().min(1).max(100).optional(),
  password: z.string().min(12, { message: '--password must have at least 12 characters' }).optional(),
});
const tokenArgs = z.object({ name: z.string().min(1, { message: '--name is required' }), role });

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  if (command === 'add') {
    const args = userArgs.parse(values);
    const password = args.password ?? randomBytes(18).toString('base64url');
    const id = await createUser(database.db, { email: args.email, role: args.role, name: args.name ?? args.email, team: args.team, password });
    process.stdout.write(`user ${id} ${args.email} (${args.role}) added${args.password ? '' : `; password: ${password}`}\n`);
  } else if (command === 'token') {
    const args = tokenArgs.parse(values);
    process.stdout.write(`${await createApiToken(database.db, args.name, args.role)}\n`);
  } else {
    throw new Error(`unknown command ${command ?? ''}: add | token`);
  }
} catch (err) {
  const message = err instanceof z.ZodError ? err.issues.map((issue) => issue.message).join('\n') : err instanceof Error ? err.message : String(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
