// Node 20 cannot start a worker from a .ts file, even under tsx (tsx issue #354): this plain module
// registers tsx's loader inside the worker, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
