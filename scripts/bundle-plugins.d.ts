// Types of bundle-plugins.js for test/build.
import type {Plugin} from 'esbuild';

export const yogaWithoutFetch: Plugin;
export const memoizedStringWidth: Plugin;
export const inkCachesAcrossFrames: Plugin;
export const leanStyledChars: Plugin;
/** The characters the string-width plugin adds up one by one (each is a grapheme cluster of its own). */
export const standAloneCharacters: RegExp;
