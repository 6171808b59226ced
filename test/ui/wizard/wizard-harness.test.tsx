import {Box, Text} from 'ink';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {renderChecked} from './wizard-harness.js';

// The frame checks the wizard tests rely on must be able to fail.
describe('frame checks', () => {
	let ts: TestServices;
	beforeAll(async () => {
		ts = await startTestServices();
	});
	afterAll(async () => {
		await ts.close();
	});

	test('a frame that shows the secret is caught', async () => {
		const app = renderChecked(<Text>key {ts.sandbox.credentials.secretAccessKey}</Text>, ts.services);
		await app.waitForFrame('key');
		expect(() => {
			app.checkFrames(ts.sandbox.credentials.secretAccessKey);
		}).toThrow(/shows the secret/);
		app.cleanup();
	});

	test('a frame as tall as the terminal is caught', async () => {
		const lines = Array.from({length: 10}, (_, index) => `line ${index}`);
		const app = renderChecked(
			<Box flexDirection="column">
				{lines.map((line) => (
					<Text key={line}>{line}</Text>
				))}
			</Box>,
			ts.services,
			{rows: 10},
		);
		await app.waitForFrame('line 9');
		expect(() => {
			app.checkFrames(ts.sandbox.credentials.secretAccessKey);
		}).toThrow(/taller than 10 rows/);
		app.cleanup();
	});
});
