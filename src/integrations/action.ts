// Entry point of the GitHub Action bundle (dist/action/index.js); the logic lives in action-run.ts.
import { main } from './action-run.js';

await main();
