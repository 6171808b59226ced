/** Every key of the dashboard (help overlay) and the ones that work right now (footer). */
import {isActiveState} from '../../../core/task-model.js';
import type {KeyHint} from '../../components/key-footer.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {deregisterTarget} from '../../state/deregister-dialog-state.js';
import {retryTarget} from '../../state/retry-dialog-state.js';

export const dashboardHelpKeys: KeyHint[] = [
	{key: '↑ ↓ j k', label: 'move the selection (PgUp/PgDn a page, Home/End or G the ends)'},
	{key: 'r', label: 'register an AMI from the selected complete bundle'},
	{key: 'm', label: 'migrate the selected complete bundle (or its AMI) to another region'},
	{key: 'c', label: 'cancel the selected running bundle task (asks first)'},
	{key: 't', label: 'retry a failed or cancelled task: same instance and bucket, new free prefix (store: same AMI)'},
	{key: 'd enter', label: 'describe the selected task in full: bucket/prefix, instance, every AMI, the whole error'},
	{key: 'y', label: 'copy the selected bundle id to the clipboard (OSC 52 terminals)'},
	{key: '/', label: 'filter as you type (enter keeps it, esc clears it)'},
	{key: 's', label: 'cycle the sort: start time, state, region, progress'},
	{key: 'S', label: 'reverse the sort (↑ ascending, ↓ descending)'},
	{key: 'g', label: 'pick the watched regions (several or all)'},
	{key: 'R', label: 'refresh now'},
	{key: 'ctrl+l', label: 'redraw the screen'},
	// The image -> S3 path's keys, after the bundle ones
	{key: 'r (store)', label: 'restore an AMI from the selected complete store task (name from the stored AMI)'},
	{key: 'm (store)', label: 'copy the stored object to a bucket in another region, then restore it there'},
	{key: 'D', label: 'deregister the AMI bundledeck registered or restored on the selected row (asks first)'},
	{key: 'c (others)', label: 'not offered: AWS has no cancel for CreateImage, store or restore tasks'},
	{key: 'n', label: 'start a new bundle (wizard)'},
	{key: '?', label: 'this help'},
	{key: 'esc', label: 'close a dialog, clear the filter'},
	{key: 'q ctrl+c', label: 'quit'},
];

export function footerKeys(row: DashboardRow | undefined, filtering: boolean): KeyHint[] {
	if (filtering) {
		return [
			{key: 'type', label: 'filter'},
			{key: 'enter', label: 'keep'},
			{key: 'esc', label: 'clear'},
			{key: '↑↓', label: 'move'},
		];
	}

	const keys: KeyHint[] = [];
	if (row?.work) {
		if (row.kind === 'store' && row.state === 'complete') {
			keys.push({key: 'r', label: 'restore'}, {key: 'm', label: 'migrate'});
		}

		if (deregisterTarget(row)) {
			keys.push({key: 'D', label: 'deregister'});
		}
	} else if (row?.state === 'complete') {
		keys.push({key: 'r', label: 'register'}, {key: 'm', label: 'migrate'});
	} else if (
		row &&
		isActiveState(row.state) &&
		row.state !== 'cancelling' &&
		!row.cancelRequested &&
		!row.fromHistory
	) {
		// A cancel already on its way has nothing left to offer
		keys.push({key: 'c', label: 'cancel'});
	}

	if (row && typeof retryTarget(row) !== 'string') {
		keys.push({key: 't', label: 'retry'});
	}

	if (row) {
		keys.push({key: 'd', label: 'describe'});
	}

	// Most important first: the footer leaves out the last ones (never ? help and q quit) when it is short of room.
	keys.push(
		{key: 'n', label: 'new'},
		{key: '/', label: 'filter'},
		{key: 'g', label: 'regions'},
		{key: 's', label: 'sort'},
		{key: 'R', label: 'refresh'},
		{key: '?', label: 'help'},
		{key: 'q', label: 'quit'},
	);
	return keys;
}
