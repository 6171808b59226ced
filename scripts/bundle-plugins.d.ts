// Types of bundle-plugins.js for test/build.
import type {Plugin} from 'esbuild';

export const yogaWithoutFetch: Plugin;
export const memoizedStringWidth: Plugin;
export const inkCachesAcrossFrames: Plugin;
