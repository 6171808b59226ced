import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {readJsonFile, writeFileAtomic, writeJsonFile} from '../../source/sandbox/atomic-file.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-atomic-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('atomic file', () => {
	test('writes, replaces, and leaves no temporary files behind', async () => {
		const file = path.join(dir, 'nested', 'state.json');
		await writeFileAtomic(file, 'one');
		await writeFileAtomic(file, Buffer.from('two'));
		expect(await readFile(file, 'utf8')).toBe('two');
		expect(await readdir(path.join(dir, 'nested'))).toEqual(['state.json']);
	});

	test('readJsonFile returns undefined for a missing file and the value for a written one', async () => {
		const file = path.join(dir, 'x.json');
		expect(await readJsonFile(file)).toBeUndefined();
		await writeJsonFile(file, {a: 1, b: ['c']});
		expect(await readJsonFile(file)).toEqual({a: 1, b: ['c']});
	});

	test('readJsonFile names the file when the JSON is malformed', async () => {
		const file = path.join(dir, 'bad.json');
		await writeFile(file, '{nope');
		await expect(readJsonFile(file)).rejects.toThrow(/bad\.json is not valid JSON/);
	});

	test('concurrent writes to one file never produce a torn file', async () => {
		const file = path.join(dir, 'race.json');
		const values = Array.from({length: 20}, (_, i) => ({i, pad: 'x'.repeat(10_000)}));
		await Promise.all(values.map(async (value) => writeJsonFile(file, value)));
		const result = await readJsonFile<{i: number; pad: string}>(file);
		expect(result?.pad.length).toBe(10_000);
		expect(await readdir(dir)).toEqual(['race.json']);
	});
});
