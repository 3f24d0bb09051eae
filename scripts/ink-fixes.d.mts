import type { Plugin } from 'esbuild';

export const inkFixes: Plugin;
export function applyInkFixes(path: string, text: string, applied?: (fix: unknown) => void): string;
export function isInkFixTarget(path: string): boolean;
