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
    options: { '--version': '显示版本号', '--help': '显示帮助' },
  },
  build: {
    description: '把期次排成可付印的 PDF（及排好版的 HTML）',
    arguments: { issues: issueArgumentZh },
    options: {
      '--out': '输出文件夹',
      '--all': '排版 issues/ 下的全部期次（须在项目文件夹中运行）',
      '--timeout': '每期排版的时限（秒）',
      '--encoding': '源文件的编码（Windows 的 GBK 文件用 gb18030）',
      '--cache': '保存已排版页面的文件夹，重排时只排改动的部分（默认 <输出文件夹>/.cache）',
      '--no-cache': '每页都重新排版，不保留缓存',
      '--draft': '校对样：允许占位符和待核对标记，每页标“样稿”，输出为 <期次>.draft.pdf',
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
    },
  },
  verify: {
    description: '按清单重新核对存档的校验值，并用存档的源文件重排 PDF 比对',
    arguments: { 'archive-dir': '一期的存档（output/archive/<期次>）' },
    options: { '--no-rebuild': '只核对校验值' },
  },
};

/** Commander's own headings, in Chinese. */
export const helpTitlesZh: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Arguments:': '参数：',
  'Commands:': '命令：',
  'Global Options:': '全局选项：',
};
