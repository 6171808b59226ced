import {describe, expect, test} from 'vitest';
import {
	architectureNote,
	canRegister,
	freeAmiName,
	initialRegisterState,
	type RegisterAction,
	registerReducer,
} from '../../../source/ui/state/register-dialog-state.js';
import {enter, esc, key, run} from './keys.js';

const failure = {line: 'InvalidManifest: bad part', code: 'InvalidManifest'};
const summary = {location: 'b/p.manifest.xml', architecture: 'i386' as const, partCount: 3, size: 1, bundledSize: 1};
const start = initialRegisterState({prefix: 'bundles/web01-2026'});
const register = (...actions: RegisterAction[]) => run(registerReducer, start, ...actions);
const listed: RegisterAction = {type: 'images-listed', seq: 2, names: []};
const read: RegisterAction = {type: 'manifest-read', seq: 1, summary};

describe('register dialog reducer', () => {
	test('the name comes from the prefix and the architecture from the manifest', () => {
		expect(start.name).toBe('web01-2026');
		expect(canRegister(start)).toBe(false);
		expect(canRegister(register(read))).toBe(false);
		const state = register(read, listed);
		expect(state.architecture).toBe('i386');
		expect(canRegister(state)).toBe(true);
	});

	test('typing edits the focused field; tab moves on; ←→ switch the architecture', () => {
		const state = register(read, key('\u007F', {delete: true}), key('X'), key('', {tab: true}), key('web'));
		expect(state.name).toBe('web01-202X');
		expect(state.description).toBe('web');
		const arch = registerReducer(registerReducer(state, key('', {tab: true})), key('', {rightArrow: true}));
		expect(arch.architecture).toBe('x86_64');
	});

	test('a paste with enter after it edits, then registers (one request)', () => {
		const state = register(read, listed, key('', {tab: true}), key('my image\r'));
		expect(state.description).toBe('my image');
		expect(state.submit).toEqual({status: 'running', seq: 3});
	});

	test('an invalid name keeps enter from registering', () => {
		const state = register(read, listed, key('u', {ctrl: true}), key('ab'), enter);
		expect(state.submit).toBeUndefined();
	});

	test('a failed manifest check: enter checks again, the old answer is dropped', () => {
		const failed = register({type: 'failed', seq: 1, failure, aborted: false});
		const again = registerReducer(failed, enter);
		expect(again.manifest).toEqual({status: 'loading', seq: 3});
		expect(registerReducer(again, read)).toBe(again);
	});

	test('registered hands the image id over; a failure stays until the next edit', () => {
		const asked = register(read, listed, enter);
		expect(registerReducer(asked, esc)).toBe(asked);
		expect(registerReducer(asked, {type: 'registered', seq: 3, imageId: 'ami-1'}).intent).toEqual({
			type: 'registered',
			imageId: 'ami-1',
			adopted: false,
		});
		// The image a lost answer had registered, found by the retry: the dashboard says so.
		expect(registerReducer(asked, {type: 'registered', seq: 3, imageId: 'ami-1', adopted: true}).intent).toEqual({
			type: 'registered',
			imageId: 'ami-1',
			adopted: true,
		});
		const failed = registerReducer(asked, {type: 'failed', seq: 3, failure, aborted: false});
		expect(failed.submit).toEqual({status: 'failed', failure});
		expect(registerReducer(failed, key('x')).submit).toBeUndefined();
		expect(registerReducer(failed, esc).intent).toEqual({type: 'close'});
	});

	test('the architecture note says "from the manifest" only while the value is the manifest\'s (issue 15 #9)', () => {
		expect(architectureNote(start)).toBe('(default)');
		const state = register(read, listed);
		expect(architectureNote(state)).toBe('(from the manifest)');
		const changed = run(
			registerReducer,
			state,
			key('', {tab: true}),
			key('', {tab: true}),
			key('', {rightArrow: true}),
		);
		expect(changed.architecture).toBe('x86_64');
		expect(architectureNote(changed)).toBe('(the manifest says i386)');
		expect(architectureNote(run(registerReducer, changed, key('', {leftArrow: true})))).toBe('(from the manifest)');
	});

	test('a bundle that already has an AMI proposes a free name: name (2), (3)… (issue 15 #9)', () => {
		expect(freeAmiName('web01', ['web01', 'web01 (2)'])).toBe('web01 (3)');
		expect(freeAmiName('x'.repeat(128), ['x'.repeat(128)])).toBe(`${'x'.repeat(124)} (2)`);
		// History knows this bundle's AMI: the name is free from the first frame.
		const again = initialRegisterState({prefix: 'bundles/web01-2026', takenNames: ['web01-2026']});
		expect(again.name).toBe('web01-2026 (2)');
		// The region's AMIs, once listed, take names too (registered elsewhere).
		const regionList = run(registerReducer, again, {
			type: 'images-listed',
			seq: 2,
			names: ['web01-2026 (2)', 'other'],
		});
		expect(regionList.name).toBe('web01-2026 (3)');
		// A name the user typed is never replaced.
		const typed = run(registerReducer, start, key('-b'), {type: 'images-listed', seq: 2, names: ['web01-2026']});
		expect(typed.name).toBe('web01-2026-b');
		// Not listable (permissions): the proposal stays and enter still registers.
		const unlisted = run(registerReducer, start, read, {type: 'failed', seq: 2, failure, aborted: false});
		expect(unlisted.name).toBe('web01-2026');
		expect(canRegister(unlisted)).toBe(true);
	});
});
