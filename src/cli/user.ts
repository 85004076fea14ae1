import path from 'node:path';
import { type Command, Option } from 'commander';
import { say } from '../model/catalog.js';
import { textIn } from '../model/i18n.js';
import { AccountError, addUser, changePassword, listUsers, removeUser, roleLabels, roles } from '../server/accounts.js';
import type { Db } from '../server/db.js';
import { type CliContext, fail } from './context.js';
import { helpAfter } from './help.js';

interface PasswordFlags {
  data: string;
  password?: string;
  passwordStdin?: boolean;
}

/** `gazette user add|passwd|remove|list`: the accounts of `gazette serve`, kept in its database. */
export function registerUser(program: Command, context: CliContext): void {
  const user = program.command('user').description('the accounts of `gazette serve`: add, passwd, remove, list');
  const dataOption = () => new Option('--data <dir>', "the page's data folder (as for serve)").default('.gazette');

  user
    .command('add')
    .description('add an account')
    .argument('<name>', 'the sign-in name')
    .addOption(
      new Option('--role <role>', 'editor (edits and builds) or approver (also signs off)')
        .choices(roles)
        .makeOptionMandatory(),
    )
    .option('--password <password>', 'the password (visible in the shell history: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .addOption(dataOption())
    .addHelpText(
      'after',
      helpAfter(
        'user add',
        [
          'gazette user add zhang --role editor --password-stdin < pw.txt',
          'echo "长密码……" | gazette user add wang --role approver --password-stdin',
        ],
        context.locale,
      ),
    )
    .action(async (name: string, flags: PasswordFlags & { role: (typeof roles)[number] }) => {
      const password = await passwordOf(context, flags);
      await withDb(context, flags.data, async (db) => {
        const added = await addUser(db, name, flags.role, password);
        context.stdout(textIn(say.userAdded(added.name, flags.role, roleLabels[flags.role]), context.locale ?? 'en'));
      });
    });

  user
    .command('passwd')
    .description("change an account's password (signs its sessions out)")
    .argument('<name>')
    .option('--password <password>', 'the new password')
    .option('--password-stdin', 'read the new password from standard input')
    .addOption(dataOption())
    .action(async (name: string, flags: PasswordFlags) => {
      const password = await passwordOf(context, flags);
      await withDb(context, flags.data, async (db) => {
        await changePassword(db, name, password);
        context.stdout(textIn(say.passwordChanged(name), context.locale ?? 'en'));
      });
    });

  user
    .command('remove')
    .description('remove an account (and its sessions)')
    .argument('<name>')
    .addOption(dataOption())
    .action(async (name: string, flags: { data: string }) => {
      await withDb(context, flags.data, async (db) => {
        removeUser(db, name);
        context.stdout(textIn(say.userRemoved(name), context.locale ?? 'en'));
      });
    });

  user
    .command('list')
    .description('list the accounts')
    .addOption(dataOption())
    .action(async (flags: { data: string }) => {
      await withDb(context, flags.data, async (db) => {
        for (const account of listUsers(db)) context.stdout(`${account.name}\t${account.role}\t${account.createdAt}`);
      });
    });
}

async function passwordOf(context: CliContext, flags: PasswordFlags): Promise<string> {
  if (flags.password !== undefined && flags.passwordStdin) fail(say.twoPasswords(), 2);
  if (flags.passwordStdin) {
    if (!context.readStdin) fail(say.noStdin(), 2);
    // One line: the newline echo or a file ends it with is not part of the password.
    return (await context.readStdin()).replace(/\r?\n$/, '');
  }
  if (flags.password === undefined) fail(say.missingPassword(), 2);
  return flags.password;
}

async function withDb(context: CliContext, dataDir: string, work: (db: Db) => Promise<void>): Promise<void> {
  // SQLite (a native addon) is loaded for the account commands only.
  const { openDatabase } = await import('../server/db.js');
  const db = openDatabase(path.resolve(context.cwd, dataDir));
  try {
    await work(db);
  } catch (error) {
    if (error instanceof AccountError) fail(error.message, 1);
    throw error;
  } finally {
    db.close();
  }
}
