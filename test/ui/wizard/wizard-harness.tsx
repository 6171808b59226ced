/** Renders the wizard in the app context against real services (the in-process sandbox) and checks every frame. */
import type {ReactElement} from 'react';
import {expect} from 'vitest';
import type {Services} from '../../../source/core/services.js';
import type {BundleTask} from '../../../source/core/types.js';
import type {StoreChain} from '../../../source/core/work-model.js';
import type {Settings} from '../../../source/store/settings.js';
import {Wizard} from '../../../source/ui/screens/wizard/wizard.js';
import {type AppHarness, renderInApp} from '../../helpers/app.js';
import {frameHeight, stripAnsi} from '../../helpers/render.js';

export type RenderOptions = {settings?: Settings; region?: string; columns?: number; rows?: number};

export type CheckedHarness = AppHarness & {
	/** Every frame so far fits the terminal height it was drawn for, and none shows the secret. */
	checkFrames(secret: string): void;
	/** The highlighted row of the visible list ('' when none). */
	highlighted(): string;
};

export type WizardHarness = CheckedHarness & {
	started: BundleTask[];
	/** Image -> S3 chains the wizard handed over (onChainStarted). */
	chainsStarted: StoreChain[];
	/** How many times the wizard asked to be cancelled (onCancel). */
	counts: {cancels: number};
};

/** renderInApp, plus a record of the terminal height each frame was drawn for. */
export function renderChecked(tree: ReactElement, services: Services, options: RenderOptions = {}): CheckedHarness {
	const app = renderInApp(tree, {services, ...options});
	// Frame index -> terminal rows at the time (resize changes it).
	const heights: number[] = [];
	let checked = 0;
	const trackRows = () => {
		while (heights.length < app.frames.length) {
			heights.push(app.size.rows);
		}
	};

	const originalWrite = app.stdout.write;
	app.stdout.write = (frame: string) => {
		const result = originalWrite(frame);
		trackRows();
		return result;
	};

	return Object.assign(app, {
		checkFrames(secret: string) {
			trackRows();
			for (; checked < app.frames.length; checked++) {
				const frame = stripAnsi(app.frames[checked] ?? '');
				expect(frame, `frame ${checked} shows the secret`).not.toContain(secret);
				const rows = heights[checked] ?? 24;
				expect(
					frameHeight(frame.replace(/\n$/, '')),
					`frame ${checked} taller than ${rows} rows:\n${frame}`,
				).toBeLessThan(rows);
			}
		},
		highlighted() {
			return (
				app
					.lastFrame()
					.split('\n')
					.find((line) => line.startsWith('› ')) ?? ''
			);
		},
	});
}

export function openWizard(services: Services, options: RenderOptions = {}): WizardHarness {
	const started: BundleTask[] = [];
	const chainsStarted: StoreChain[] = [];
	const counts = {cancels: 0};
	const app = renderChecked(
		<Wizard
			onStarted={(task) => {
				started.push(task);
			}}
			onChainStarted={(chain) => {
				chainsStarted.push(chain);
			}}
			onCancel={() => {
				counts.cancels++;
			}}
		/>,
		services,
		options,
	);
	return Object.assign(app, {started, chainsStarted, counts});
}
