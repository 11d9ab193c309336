#!/usr/bin/env node
// Entry point of the `dialtone` command: runs the TypeScript CLI through tsx (no build step to forget).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
