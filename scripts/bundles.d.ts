// Types of bundles.js for the tests that build the bin in memory (test/build).
import type {BuildOptions} from 'esbuild';
import type {CliTable} from '../source/commands/cli-table.js';

export const requireBanner: string;
export const bodyHead: string;
export function mainOptions(outdir?: string): BuildOptions;
export function buildCliTable(): Promise<CliTable>;
export function binOptions(table: CliTable, outdir?: string): BuildOptions;
