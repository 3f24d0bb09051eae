import type { Plugin } from 'esbuild';

export const inkFixes: Plugin;
