import { afterAll } from 'vitest';
import { removeMadeIssues } from './helpers/cli.js';

// Every test file removes the issue folders it made in the system's temp folder.
afterAll(removeMadeIssues);
