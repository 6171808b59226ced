/**
 * Found in the issue 15 walk: after a restart a completed image -> S3 row said its elapsed time was "not known: it had
 * ended when this dashboard first saw it", although the previous run watched it end. History's phases keep that end.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import type {StoreTask} from '../../../source/core/types.js';
import type {StoreChain} from '../../../source/core/work-model.js';
import {openHistory} from '../../../source/store/history.js';
import {storeChainsOf} from '../../../source/store/store-chains.js';
import {elapsedMs} from '../../../source/ui/state/dashboard-format.js';
import {currentRows, dashboardReducer, initialDashboardState} from '../../../source/ui/state/dashboard-state.js';
import {completedStoreTask, storeCycle} from './store-cycle.js';

const chain: StoreChain = {
	region: 'us-east-1',
	instanceId: 'i-0123456789abcdef0',
	imageId: 'ami-0123456789abcdef0',
	name: 'erp01',
	bucket: 'stored',
	noReboot: false,
	startedAt: '2026-11-30T00:19:29.740Z',
	storeStartedAt: '2026-11-30T00:20:14.573Z',
};
const task = completedStoreTask(chain);

function rowAfterRestart(observed: StoreTask[]) {
	const history = openHistory({cwd: mkdtempSync(path.join(tmpdir(), 'bundledeck-store-end-')), name: 'history'});
	const chains = storeChainsOf(history);
	chains.save(chain);
	for (const seen of observed) {
		history.recordTask(seen);
	}

	// A new run: the chains come from history, and the first poll finds the store task completed.
	const cycle = storeCycle(Date.now(), [task]);
	cycle.result.chains = chains.list();
	const state = dashboardReducer(
		initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined}),
		cycle,
	);
	const [row] = currentRows(state);
	const phases = history.list().find((entry) => entry.kind === 'store')?.phases ?? [];
	return {row, phases};
}

test('a chain the previous run saw storing and then complete keeps its elapsed time after a restart', () => {
	const {row, phases} = rowAfterRestart([{...task, state: 'InProgress', progress: 40}, task]);
	const completeAt = Date.parse(phases.find((phase) => phase.state === 'complete')?.at ?? '');
	expect(row).toMatchObject({kind: 'store', state: 'complete'});
	expect(row && elapsedMs(row, Date.now())).toBe(completeAt - Date.parse(chain.startedAt));
});

test('a chain history first saw complete still has no known end', () => {
	const {row} = rowAfterRestart([task]);
	expect(row && elapsedMs(row, Date.now())).toBeUndefined();
});
