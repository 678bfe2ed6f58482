// The workers' thread's entry: a worker thread does not inherit the TypeScript loader of the process that started
// it (tsx for `npm start`, vite-node under vitest), so it registers tsx's ESM loader itself before importing the
// TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
