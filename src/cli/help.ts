import type { Command, Option } from 'commander';
import { helpNotes, helpTitlesZh, helpZh, usageErrorsZh } from '../model/catalog.js';
import { type Locale, textIn } from '../model/i18n.js';

/** What `--help` shows after a command's options: its notes (catalog.ts, `helpNotes`), then examples. */
export function helpAfter(command: string, examples: readonly string[], locale: Locale = 'en'): string {
  const notes = helpNotes[command];
  const heading = locale === 'zh' ? helpTitlesZh['Examples:'] : 'Examples:';
  return `${notes ? `\n${textIn(notes, locale)}\n` : ''}\n${heading}\n${examples.map((line) => `  ${line}`).join('\n')}`;
}

/** A usage error of commander's in Chinese, line by line (a line it does not know stays as it is). */
export function usageErrorIn(text: string, locale: Locale): string {
  if (locale !== 'zh') return text;
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, say] of usageErrorsZh) {
        const match = pattern.exec(line);
        if (match) return say(...match.slice(1).map((group) => group ?? ''));
      }
      return line;
    })
    .join('\n');
}

/**
 * `--help` in the user's language: in Chinese, each command's description, arguments and options from the
 * catalog (what it lacks stays English), commander's headings and its help and version options too. Applied
 * once every command is registered, so the commands keep one definition.
 */
export function localiseHelp(program: Command, locale: Locale): void {
  if (locale !== 'zh') return;
  const localise = (command: Command, key: string) => {
    const help = helpZh[key];
    command.configureHelp({ styleTitle: (title) => helpTitlesZh[title] ?? title, optionDescription });
    command.helpOption('-h, --help', helpZh['']?.options?.['--help'] ?? 'help');
    command.showHelpAfterError('（运行 gazette --help 查看用法）');
    command.configureOutput({ outputError: (text, write) => write(usageErrorIn(text, locale)) });
    if (command.commands.length > 0) command.helpCommand('help [command]', '显示某个命令的帮助');
    for (const sub of command.commands) localise(sub, key ? `${key} ${sub.name()}` : sub.name());
    for (const option of command.options) {
      const text = option.long ? (help?.options?.[option.long] ?? helpZh['']?.options?.[option.long]) : undefined;
      if (text) option.description = text;
    }
    if (!help) return;
    command.description(help.description);
    for (const argument of command.registeredArguments) {
      const text = help.arguments?.[argument.name()];
      if (text) argument.description = text;
    }
  };
  localise(program, '');
}

/** An option's description with its choices and default, as commander writes them, in Chinese. */
function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(`可选：${option.argChoices.join('、')}`);
  if (option.defaultValue !== undefined && !option.negate && !option.isBoolean()) {
    extra.push(`默认：${option.defaultValueDescription ?? String(option.defaultValue)}`);
  }
  return extra.length > 0 ? `${option.description}（${extra.join('；')}）` : option.description;
}
