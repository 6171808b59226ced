import {describe, expect, test} from 'vitest';
import {
	canRegister,
	initialRegisterState,
	type RegisterAction,
	registerReducer,
} from '../../../source/ui/state/register-dialog-state.js';
import {enter, esc, key, run} from './keys.js';

const failure = {line: 'InvalidManifest: bad part', code: 'InvalidManifest'};
const summary = {location: 'b/p.manifest.xml', architecture: 'i386' as const, partCount: 3, size: 1, bundledSize: 1};
const start = initialRegisterState('bundles/web01-2026');
const register = (...actions: RegisterAction[]) => run(registerReducer, start, ...actions);
const read: RegisterAction = {type: 'manifest-read', seq: 1, summary};

describe('register dialog reducer', () => {
	test('the name comes from the prefix and the architecture from the manifest', () => {
		expect(start.name).toBe('web01-2026');
		expect(canRegister(start)).toBe(false);
		const state = register(read);
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
		const state = register(read, key('', {tab: true}), key('my image\r'));
		expect(state.description).toBe('my image');
		expect(state.submit).toEqual({status: 'running', seq: 2});
	});

	test('an invalid name keeps enter from registering', () => {
		const state = register(read, key('u', {ctrl: true}), key('ab'), enter);
		expect(state.submit).toBeUndefined();
	});

	test('a failed manifest check: enter checks again, the old answer is dropped', () => {
		const failed = register({type: 'failed', seq: 1, failure, aborted: false});
		const again = registerReducer(failed, enter);
		expect(again.manifest).toEqual({status: 'loading', seq: 2});
		expect(registerReducer(again, read)).toBe(again);
	});

	test('registered hands the image id over; a failure stays until the next edit', () => {
		const asked = register(read, enter);
		expect(registerReducer(asked, esc)).toBe(asked);
		expect(registerReducer(asked, {type: 'registered', seq: 2, imageId: 'ami-1'}).intent).toEqual({
			type: 'registered',
			imageId: 'ami-1',
		});
		const failed = registerReducer(asked, {type: 'failed', seq: 2, failure, aborted: false});
		expect(failed.submit).toEqual({status: 'failed', failure});
		expect(registerReducer(failed, key('x')).submit).toBeUndefined();
		expect(registerReducer(failed, esc).intent).toEqual({type: 'close'});
	});
});
