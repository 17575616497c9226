// npm run bench: every case, each against its baselines in the same run.
import { runStartup } from './startup.ts';

await runStartup();
