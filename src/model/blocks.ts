/** The block directives a document body may use (`:::panel{title="…"}` …), see docs/source-format.md. */
export const blockNames = ['panel', 'glossary', 'attachment', 'signature', 'names', 'attendees'] as const;
export type BlockName = (typeof blockNames)[number];

/** Attributes each block accepts; `true` marks a required one. */
export const blockAttributes: Record<BlockName, Record<string, boolean>> = {
  panel: { title: true },
  glossary: { title: false },
  attachment: { label: false, title: false },
  signature: {},
  names: { columns: false },
  attendees: {},
};

export function isBlockName(name: string): name is BlockName {
  return (blockNames as readonly string[]).includes(name);
}
