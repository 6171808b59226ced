// Builds distribution/ when it is missing or older than any file in source/ or scripts/ (the build and its plugins),
// used by `npm start`.
import {execSync} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';

function newest(dir) {
	let time = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		time = Math.max(time, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}

	return time;
}

const output = 'distribution/cli.cjs';
if (
	!existsSync(output) ||
	!existsSync('distribution/main.js') ||
	statSync(output).mtimeMs < Math.max(newest('source'), newest('scripts'))
) {
	console.error('bundledeck: building…');
	execSync('npm run build', {stdio: ['ignore', 'ignore', 'inherit']});
}
