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
  // `gazette build`
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
