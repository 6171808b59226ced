#!/usr/bin/env node
// The bin (copied to distribution/cli.cjs by build.js). It runs cli-body.cjs (source/cli.ts bundled) with the V8 code
// cache the build made for it: compiling the body's 100 KB was about 3 ms of `history`'s 40. A cache this Node does
// not take (another version or other flags) is ignored, and the body is compiled as without one.
'use strict';
const {readFileSync, writeFileSync} = require('node:fs');
const path = require('node:path');
const {Script} = require('node:vm');

const filename = path.join(__dirname, 'cli-body.cjs');
const cacheFile = `${filename}.cache`;
let cachedData;
try {
	cachedData = readFileSync(cacheFile);
} catch {
	// No cache: compiled as usual.
}

// The body is a function expression already (build.js wraps it as Node wraps a module): compiled as it is read.
const script = new Script(readFileSync(filename, 'utf8'), {filename, cachedData});
// The build runs the bin once with this set: the cache then holds the functions that run, not only the top level.
if (process.env.BUNDLEDECK_WRITE_CODE_CACHE === cacheFile) {
	process.once('exit', () => {
		writeFileSync(cacheFile, script.createCachedData());
	});
}

const body = {exports: {}};
script.runInThisContext()(body.exports, require, body, filename, __dirname);
body.exports.runCli(() => import('./main.js'));
