/** Issue 14 item 9: when GetCallerIdentity fails, the header says "account unknown", not a loading "account …". */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {App} from '../../source/app.js';
import {createServices} from '../../source/aws/services.js';
import {openHistory} from '../../source/store/history.js';
import {memorySettings} from '../../source/store/settings.js';
import {headerParts} from '../../source/ui/components/header.js';
import {renderTui} from '../helpers/render.js';
import {startTestSandbox} from '../helpers/sandbox.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-header-'));
afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

test('headerParts: null account (STS failed) is "account unknown"', () => {
	expect(headerParts({title: 't', account: null, region: 'us-east-1', mode: 'aws'}).who).toBe(
		'account unknown · us-east-1',
	);
	expect(headerParts({title: 't', account: undefined, region: 'us-east-1', mode: 'aws'}).who).toBe(
		'account … · us-east-1',
	);
});

test('the App with keys STS refuses shows "account unknown" once GetCallerIdentity failed', async () => {
	const sandbox = await startTestSandbox();
	const services = await createServices({
		mode: 'aws',
		endpointUrl: sandbox.endpoint,
		credentials: {accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x'},
		region: 'us-east-1',
		env: {},
		maxAttempts: 1,
	});
	const ui = renderTui(
		<App
			services={services}
			history={openHistory({cwd: dir, name: 'history'})}
			settings={memorySettings()}
			initialRegion="us-east-1"
			initialScreen="dashboard"
		/>,
	);
	try {
		const frame = await ui.waitForFrame('account unknown');
		expect(frame).not.toContain('account …');
	} finally {
		ui.unmount();
		services.close();
		await sandbox.close();
	}
});
