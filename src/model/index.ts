export * from './blocks.js';
export * from './clreq.js';
export * from './issue.js';
export * from './kinds.js';
export * from './messages.js';
export * from './numbering.js';
export * from './schema.js';
export * from './text.js';
