// Types of dist.mjs for the TypeScript that imports it (tests).
export const ROOT: string;
export function distDir(env?: Record<string, string | undefined>): string;
export function distState(dir?: string): 'fresh' | 'missing' | 'stale';
export function buildDist(dir?: string): Promise<void>;
export function requireEntry(name: 'main' | 'cli', dir?: string): unknown;
