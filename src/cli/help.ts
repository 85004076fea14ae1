import type { Command, Option } from 'commander';
import { helpTitlesZh, helpZh } from '../model/catalog.js';
import type { Locale } from '../model/i18n.js';

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
    if (!help) return;
    command.description(help.description);
    for (const argument of command.registeredArguments) {
      const text = help.arguments?.[argument.name()];
      if (text) argument.description = text;
    }
    for (const option of command.options) {
      const text = option.long ? help.options?.[option.long] : undefined;
      if (text) option.description = text;
    }
  };
  localise(program, '');
  program.helpCommand('help [command]', '显示某个命令的帮助');
  for (const command of program.commands) localise(command, command.name());
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
