/** The kinds of document a gazette issue carries (see docs/source-format.md). */
export const documentKinds = [
  'agenda',
  'report',
  'research-report',
  'inspection-report',
  'opinion',
  'resolution',
  'decision',
  'announcement',
  'appointments',
  'attendance',
  'attendees',
  'duty-report',
  'written-report',
  'filing-report',
  'speech',
  'other',
] as const;

export type DocumentKind = (typeof documentKinds)[number];

/** Chinese names of the kinds, for messages, the annual index and bookmarks grouping. */
export const kindLabels: Record<DocumentKind, string> = {
  agenda: '议程',
  report: '报告',
  'research-report': '调研报告',
  'inspection-report': '执法检查报告',
  opinion: '审议意见',
  resolution: '决议',
  decision: '决定',
  announcement: '公告',
  appointments: '任免名单',
  attendance: '出席情况',
  attendees: '列席情况',
  'duty-report': '履职情况报告',
  'written-report': '书面报告',
  'filing-report': '备案报告',
  speech: '讲话',
  other: '其他',
};
