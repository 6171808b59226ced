/** The wizard walked as a user does: filter to an instance, create a new bucket, keep the default prefix, start. */
import {keys} from './keys.js';
import type {Rendered} from './render.js';

/** beforeStart runs once the DryRun passed, just before the Enter that starts the bundle. */
export async function startBundleInWizard(
	ui: Rendered,
	options: {instance: string; bucket: string; beforeStart?: (() => void) | undefined},
): Promise<void> {
	await ui.press('/');
	await ui.type(options.instance);
	await ui.press(keys.enter);
	await ui.waitForFrame((frame) => new RegExp(`› ${options.instance}`).test(frame) && !frame.includes('▏'));
	await ui.press(keys.enter);
	await ui.waitForFrame((frame) => /› \+ create a new bucket/.test(frame));
	await ui.press(keys.enter);
	await ui.type(options.bucket);
	await ui.waitForFrame('✓ valid name');
	await ui.press(keys.enter);
	await ui.waitForFrame('Prefix');
	await ui.press(keys.enter);
	await ui.waitForFrame('DryRun passed');
	options.beforeStart?.();
	await ui.press(keys.enter);
}
