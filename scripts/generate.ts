import { writeFileSync } from 'node:fs';
import { generatedFiles } from './generated.js';

for (const [path, content] of generatedFiles()) {
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
