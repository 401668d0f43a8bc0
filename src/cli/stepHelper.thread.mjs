// A Node step thread's entry (cli/stepThreads.ts starts it). Plain JavaScript so it loads in any
// Node process; it registers tsx's loader for this thread and then runs the TypeScript helper.
import { register } from 'tsx/esm/api';

register();
await import('./stepHelper.main.ts');
