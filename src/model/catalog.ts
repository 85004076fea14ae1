import type { Bilingual } from './i18n.js';

/**
 * The message catalog: every text of the newer rules and of the command line, in English and Chinese, each
 * saying what to change. Rule ids (messages.ts) are the same in both languages.
 */
export const say = {
  // `gazette check`: what is unfinished
  placeholder: (text: string): Bilingual => ({
    en: `Unexpected placeholder \`${text}\`, expected the real text`,
    zh: `占位符“${text}”尚未填写：请改为实际内容`,
  }),
  todoComment: (text: string): Bilingual => ({
    en: `Unexpected \`${text}\` note left from \`gazette new\`, expected the value filled in and the note removed`,
    zh: `“${text}”是 gazette new 留下的待办注释：请填好该项后删除这行注释`,
  }),
  reviewMark: (note: string): Bilingual => ({
    en: `Unexpected \`# REVIEW\` mark${note ? ` (${note})` : ''}, expected the guessed field checked and the mark removed`,
    zh: `导入时猜测的字段尚未核对${note ? `（${note}）` : ''}：请核对该字段后删除“# REVIEW”标记`,
  }),
  bodyHeading: (): Bilingual => ({
    en: 'Unexpected `#` heading in the body, expected `##` (一、) or deeper: the title comes from the front matter',
    zh: '正文中不应使用一级标题“#”：标题写在文件开头的字段 title 中，正文各级标题请用“##”（一、）及以下',
  }),
  issueDateYear: (date: string, year: number): Bilingual => ({
    en: `Unexpected date of issue ${date} in a ${year} issue, expected a date in ${year} (or another \`year\`)`,
    zh: `出版日期 ${date} 不在本期所属年份 ${year} 年内：请改为 ${year} 年的日期（或改正 year）`,
  }),
  meetingNameNumber: (name: string, named: number, number: number): Bilingual => ({
    en: `Unexpected meeting name “${name}” (meeting ${named}) for meeting ${number}, expected the name and \`number\` to agree`,
    zh: `会议名称“${name}”写的是第${named}次会议，而 number 是 ${number}：请改正其中一处`,
  }),
  meetingDate: (written: string, meeting: number, date: string): Bilingual => ({
    en: `Unexpected \`${written}\` for meeting ${meeting}, expected its date in issue.yml (${date}), or correct issue.yml`,
    zh: `“${written}”与 issue.yml 中第${meeting}次会议的日期 ${date} 不一致：请改正其中一处`,
  }),
  documentOrder: (meeting: number, before: string, previous: number): Bilingual => ({
    en: `Unexpected document of meeting ${meeting} after ${before} (meeting ${previous}), expected the files in meeting order as in issue.yml: rename the file so it sorts with meeting ${meeting}`,
    zh: `本文件属于第${meeting}次会议，却排在第${previous}次会议的 ${before} 之后：请按 issue.yml 中会议的顺序重新命名文件（文件名的序号决定目录和书签的顺序）`,
  }),
  checkSummary: (errors: number, warnings: number): Bilingual => ({
    en: `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    zh: `${errors} 个错误，${warnings} 个警告${errors > 0 ? '：请按上面各行所说改正后再排版' : ''}`,
  }),
  // `gazette build`
  built: (file: string, pages: number, documents: number, seconds: string, cached: number): Bilingual => ({
    en: `${file}: ${pages} pages, ${documents} documents, ${seconds} s${cached > 0 ? ` (${cached} pages from the layout cache)` : ''}`,
    zh: `${file}：${pages} 页，${documents} 篇，${seconds} 秒${cached > 0 ? `（其中 ${cached} 页取自排版缓存）` : ''}`,
  }),
  unfinished: (count: number): Bilingual => ({
    en: `Unexpected ${count} unfinished place${count === 1 ? '' : 's'} (placeholders, marks to review), expected finished sources: fill them in, or build a proof with --draft (every page marked 样稿)`,
    zh: `还有 ${count} 处未完成（占位符或待核对标记）：请补全后再印刷；如需校对样，请加 --draft 生成每页标有“样稿”的 PDF`,
  }),
  missingIssue: (): Bilingual => ({
    en: 'Missing issue: name one (gazette build issues/<id>) or use --all',
    zh: '缺少要排版的期次：请写出期次文件夹（如 gazette build issues/baoshan-2024-04），或用 --all 排版 issues/ 下的全部期次',
  }),
  noIssuesFolder: (cwd: string): Bilingual => ({
    en: `Unexpected --all in ${cwd}: there is no issues/ folder here. --all builds every issue under ./issues: run it in the project folder (the one holding issues/), or name the issue folders (gazette build path/to/issues/<id>)`,
    zh: `当前文件夹 ${cwd} 下没有 issues/ 文件夹：--all 只排版 ./issues 下的各期。请先进入项目文件夹（含 issues/ 的那个）再运行，或直接写出期次文件夹（gazette build 路径/issues/<期次>）`,
  }),
  noIssuesUnder: (folder: string): Bilingual => ({
    en: `Unexpected --all: ${folder} holds no issue (a folder with issue.yml, or a .md file), expected at least one (gazette new <id> makes one)`,
    zh: `${folder} 下没有任何期次（含 issue.yml 的文件夹或 .md 文件）：可用 gazette new <期次> 新建一期`,
  }),
  // the command line: values it cannot use
  badTimeout: (value: string): Bilingual => ({
    en: `Unexpected --timeout ${value}, expected seconds`,
    zh: `--timeout ${value} 不是秒数：请写排版时限的秒数（如 600）`,
  }),
  badPort: (value: string): Bilingual => ({
    en: `Unexpected --port ${value}, expected a port number from 0 to 65535`,
    zh: `--port ${value} 不是端口号：请写 0 到 65535 之间的数（0 表示任选空闲端口）`,
  }),
  portInUse: (port: number): Bilingual => ({
    en: `Port ${port} is in use: choose another with --port (0: any free port)`,
    zh: `端口 ${port} 已被占用：请用 --port 换一个（0 表示任选空闲端口）`,
  }),
  badHost: (host: string): Bilingual => ({
    en: `Unexpected --host ${host}: not an address of this machine`,
    zh: `--host ${host} 不是本机的地址：请写本机的 IP 地址，或 0.0.0.0（所有网卡）`,
  }),
  noSuchPath: (source: string): Bilingual => ({
    en: `Unexpected path ${source}: no issue folder or Markdown file here`,
    zh: `找不到 ${source}：请写期次文件夹（issues/<期次>）或单文件期次（.md）的路径`,
  }),
  badYear: (value: string, example: number): Bilingual => ({
    en: `Unexpected year ${value}, expected four digits (${example})`,
    zh: `年份 ${value} 有误：请写四位数字（如 ${example}）`,
  }),
  badMeeting: (value: string): Bilingual => ({
    en: `Unexpected --meeting ${value}, expected a meeting's number (1, 2, …)`,
    zh: `--meeting ${value} 有误：请写会议序号（issue.yml 中的 number，如 1、2）`,
  }),
  badFileName: (value: string): Bilingual => ({
    en: `Unexpected --name ${value}, expected a file name ending in .md`,
    zh: `--name ${value} 有误：请写以 .md 结尾的文件名`,
  }),
  nameWithoutInto: (): Bilingual => ({
    en: 'Unexpected --name without --into',
    zh: '--name 要与 --into 一起用：请同时写出要写入的期次文件夹',
  }),
  acceptAndReject: (): Bilingual => ({
    en: 'Unexpected --accept-changes with --reject-changes',
    zh: '--accept-changes 和 --reject-changes 只能选一个',
  }),
  twoPasswords: (): Bilingual => ({
    en: 'Give --password or --password-stdin, not both',
    zh: '--password 和 --password-stdin 只能选一个',
  }),
  noStdin: (): Bilingual => ({
    en: '--password-stdin: no standard input here',
    zh: '--password-stdin：这里没有标准输入，请用管道或重定向提供密码',
  }),
  missingPassword: (): Bilingual => ({
    en: 'Missing password: give --password-stdin (or --password)',
    zh: '缺少密码：请用 --password-stdin（或 --password）提供',
  }),
  archiveDoesNotVerify: (dir: string): Bilingual => ({
    en: `${dir}: the archive does not verify`,
    zh: `${dir}：存档核对未通过（见上面各行）`,
  }),
  // `gazette user`
  userAdded: (name: string, role: string, label: string): Bilingual => ({
    en: `added ${name} (${role}, ${label})`,
    zh: `已添加用户 ${name}（${label}）`,
  }),
  passwordChanged: (name: string): Bilingual => ({
    en: `password of ${name} changed`,
    zh: `已修改 ${name} 的密码（其已登录的会话均已退出）`,
  }),
  userRemoved: (name: string): Bilingual => ({
    en: `removed ${name}`,
    zh: `已删除用户 ${name}`,
  }),
  // YAML
  yamlFullWidthColon: (): Bilingual => ({
    en: 'Unexpected full-width colon `：` after a field name, expected a half-width colon `:` and a space (`title: …`)',
    zh: "字段名后用了全角冒号“：”：请改为半角冒号 ':'，并在其后加一个空格（如 title: …）",
  }),
  yamlTab: (): Bilingual => ({
    en: 'Unexpected tab in the indentation, expected spaces',
    zh: '缩进中有制表符（Tab）：请改用空格缩进',
  }),
  yamlOther: (detail: string): Bilingual => ({
    en: `Unexpected YAML: ${detail}`,
    zh: `字段格式（YAML）有误：${detail}。请检查这一行的“字段名: 值”写法（半角冒号后加空格，缩进用空格）`,
  }),
} as const;

/** A command's help in Chinese: its description, its arguments' and options' (by long flag). */
export interface CommandHelp {
  description: string;
  arguments?: Record<string, string>;
  options?: Record<string, string>;
}

const issueArgumentZh = '期次文件夹（issues/<期次>）或单文件期次（.md）';

/**
 * `--help` in Chinese, by command (`''` is the program). What is not listed here shows in English. The texts
 * say what a value is and what to write, as the English ones do.
 */
export const helpZh: Record<string, CommandHelp> = {
  '': {
    description: '把 Markdown 源文件排成区人大常委会公报（PDF），供印刷和存档',
    // Options every command that has them shares.
    options: {
      '--version': '显示版本号',
      '--help': '显示帮助',
      '--encoding': '源文件的编码（Windows 的 GBK 文件用 gb18030）',
    },
  },
  build: {
    description: '把期次排成可付印的 PDF（及排好版的 HTML）',
    arguments: { issues: issueArgumentZh },
    options: {
      '--out': '输出文件夹',
      '--all': '排版 issues/ 下的全部期次（须在项目文件夹中运行）',
      '--timeout': '每期排版的时限（秒）',
      '--cache': '保存已排版页面的文件夹，重排时只排改动的部分（默认 <输出文件夹>/.cache）',
      '--no-cache': '每页都重新排版，不保留缓存',
      '--draft': '校对样：允许占位符和待核对标记，每页标“样稿”，输出为 <期次>.draft.pdf',
      '--json': '每期在标准输出写一行 JSON（PDF 路径、页数、篇数、秒数、取自缓存的页数），供脚本使用',
    },
  },
  check: {
    description: '排版前检查源文件：字段、层次编号、标点、日期与会议、占位符、文件顺序',
    arguments: { issues: issueArgumentZh },
    options: { '--fix': '直接改正可安全修正的问题（半角标点、中文间的空格）' },
  },
  toc: {
    description: '按实际排版结果生成目录（页码与 PDF 一致），显示或导出',
    arguments: { issue: issueArgumentZh },
    options: {
      '--format': '输出格式',
      '--out': '写入文件而不是显示（docx 格式必须写文件）',
      '--cache': '与 build 共用的排版缓存文件夹',
      '--no-cache': '每页都重新排版',
    },
  },
  index: {
    description: '生成全年总目录（按期次、按类别），每种公报一份，PDF 和 CSV',
    arguments: { year: '年份（issue.yml 中的 year）' },
    options: {
      '--out': '输出文件夹',
      '--issues': '存放各期的文件夹',
      '--publication': '只为这一种公报生成（默认每种公报各一份）',
    },
  },
  new: {
    description: '新建下一期：issue.yml（下一个期号、沿用公报信息）、议程和出席情况的草稿',
    arguments: { 'issue-id': 'issues 下新期次的文件夹名（如 baoshan-2024-04）' },
    options: {
      '--issues': '存放各期的文件夹',
      '--from': '从这一期复制公报信息和上次会议（默认最近一期）',
      '--year': '本期年份（默认取期次名中的年份，否则为今年）',
      '--publication': '公报名称（第一期必填）',
      '--issuer': '编印机关（第一期必填）',
      '--profile': '版式：one-column 通栏，two-column 双栏（默认同最近一期）',
      '--page-size': '纸张（默认同最近一期，否则 A4）',
    },
  },
  import: {
    description: '把 Word 文档（.docx）转成源文件（带字段的 Markdown）',
    arguments: { file: 'Word 文档（.docx）' },
    options: {
      '--into': '写入这一期的文件夹，作为下一篇（图片存入其 images/）',
      '--name': '与 --into 同用：指定文件名，代替 NN-<类别>.md',
      '--meeting': '会议序号（issue.yml 中的 number），正文中没有写明时使用',
      '--accept-changes': '接受文档中的修订，不导入批注',
      '--reject-changes': '拒绝修订（保留修订前的文字），不导入批注',
      '--kind': '文件类别，标题看不出时使用',
    },
  },
  preview: {
    description: '在浏览器中预览分页效果，保存源文件即自动刷新',
    arguments: { issue: issueArgumentZh },
    options: { '--port': '本机端口（0 表示任选空闲端口）' },
  },
  archive: {
    description: '存档付印版：印刷 PDF、PDF/A-2b、源文件、清单（只写一次，不覆盖）',
    arguments: { issue: issueArgumentZh },
    options: {
      '--archive-dir': '存档所在的文件夹',
      '--revision': '把改动后的 PDF 存为新的修订版，保留之前的版本',
      '--reason': '更正说明：为什么要存新的修订版，记入清单；与 --revision 同用时必填',
    },
  },
  verify: {
    description: '按清单重新核对存档的校验值，并用存档的源文件重排 PDF 比对',
    arguments: { 'archive-dir': '一期的存档（output/archive/<期次>）' },
    options: { '--no-rebuild': '只核对校验值' },
  },
  press: {
    description: '印刷厂版：PDF/X-3、CMYK，文字只用黑版，页数补足 4 的倍数',
    arguments: { issues: issueArgumentZh },
    options: {
      '--out': '输出文件夹',
      '--marks': '在成品尺寸四角加裁切线',
      '--timeout': '每期排版的时限（秒）',
    },
  },
  serve: {
    description: '办公室网页：期次、文件、Word 导入、编辑、排版与预览、签发',
    options: {
      '--issues': '存放各期的文件夹',
      '--data': '网页的数据库、排版结果和缓存所在的文件夹',
      '--archive-dir': '签发后存档的文件夹（同 gazette archive）',
      '--host': '监听的地址（建立账号后才可对本机以外开放）',
      '--port': '端口（0 表示任选空闲端口）',
    },
  },
  user: { description: 'gazette serve 的账号：add 添加、passwd 改密码、remove 删除、list 列出' },
  'user add': {
    description: '添加账号',
    arguments: { name: '登录名' },
    options: {
      '--role': 'editor 编辑（编辑和排版）或 approver 签发人（还可签发）',
      '--password': '密码（会留在命令历史中，建议用 --password-stdin）',
      '--password-stdin': '从标准输入读取密码',
      '--data': '网页的数据文件夹（同 serve）',
    },
  },
  'user passwd': {
    description: '修改账号的密码（该账号已登录的会话全部退出）',
    arguments: { name: '登录名' },
    options: {
      '--password': '新密码',
      '--password-stdin': '从标准输入读取新密码',
      '--data': '网页的数据文件夹（同 serve）',
    },
  },
  'user remove': {
    description: '删除账号（及其会话）',
    arguments: { name: '登录名' },
    options: { '--data': '网页的数据文件夹（同 serve）' },
  },
  'user list': { description: '列出全部账号', options: { '--data': '网页的数据文件夹（同 serve）' } },
};

/** What `--help` says after a command's options, before its examples, by command. */
export const helpNotes: Record<string, Bilingual> = {
  build: {
    en: 'A rebuild lays out only the pages from the first change on (and, where every document starts on a new\npage, only the changed documents); the other pages come from the cache.',
    zh: '重排时只排第一处改动之后的页（每篇另起一页的版式只排改动过的文件），其余页取自排版缓存。',
  },
  press: {
    en: 'The blank pages that make the count a multiple of 4 go at the end (pressBlankPages: before-last in\nissue.yml puts them before the last page). The file is checked after it is made; a file that fails is not\nwritten.',
    zh: '补足 4 的倍数的空白页放在最后（issue.yml 中写 pressBlankPages: before-last 则放在最后一页之前）。\n文件生成后即核对，核对不通过的文件不会写出。',
  },
  preview: {
    en: 'The URL is printed on stdout; Ctrl-C stops the server.',
    zh: '网址显示在标准输出中；按 Ctrl-C 停止。',
  },
  serve: {
    en: 'Accounts: gazette user add NAME --role editor|approver. The URL is printed on stdout; Ctrl-C stops the server.',
    zh: '账号：gazette user add 登录名 --role editor|approver。网址显示在标准输出中；按 Ctrl-C 停止。',
  },
};

/**
 * Commander's usage errors in Chinese, by the English it writes (commander 12): each says what to change. What
 * matches none stays English.
 */
export const usageErrorsZh: [RegExp, (...groups: string[]) => string][] = [
  [/^error: unknown command '(.*)'$/, (name) => `错误：没有“${name}”这个命令`],
  [/^error: unknown option '(.*)'$/, (flag) => `错误：没有“${flag}”这个选项`],
  [/^\(Did you mean one of (.*)\?\)$/, (names) => `（是不是要写 ${names.replaceAll(', ', '、')} 之一？）`],
  [/^\(Did you mean (.*)\?\)$/, (name) => `（是不是要写 ${name}？）`],
  [/^error: missing required argument '(.*)'$/, (name) => `错误：缺少参数 ${name}：请在命令后写出`],
  [/^error: option '(.*)' argument missing$/, (flags) => `错误：选项 ${flags} 后面缺少取值`],
  [/^error: required option '(.*)' not specified$/, (flags) => `错误：必须写出选项 ${flags}`],
  [
    /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/,
    (flags, value, choices) => `错误：选项 ${flags} 不能取“${value}”，可选：${choices.replaceAll(', ', '、')}`,
  ],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (command, expected, got) => `错误：${command ? `${command} ` : ''}多了参数：应有 ${expected} 个，写了 ${got} 个`,
  ],
  [/^error: (.*) cannot be used with (.*)$/, (one, other) => `错误：${one} 不能与 ${other} 同用`],
];

/** Commander's own headings, in Chinese. */
export const helpTitlesZh: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Arguments:': '参数：',
  'Commands:': '命令：',
  'Global Options:': '全局选项：',
  'Examples:': '示例：',
};
