/** DescribeRegions */
import {SandboxError, sandboxRegions} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {applyFilters, bool, checkDryRun, filters, list} from '../params.js';
import {el, itemSet} from '../xml.js';

type RegionRow = {name: string; endpoint: string};

export const describeRegions: ActionHandler = ({params}) => {
	const names = list(params, 'RegionName');
	bool(params, 'AllRegions');
	const rows: RegionRow[] = sandboxRegions.map((name) => ({name, endpoint: `ec2.${name}.amazonaws.com`}));
	for (const name of names) {
		if (!rows.some((row) => row.name === name)) {
			throw new SandboxError('InvalidParameterValue', `Invalid region: ${name}`);
		}
	}

	const selected = applyFilters(
		names.length > 0 ? rows.filter((row) => names.includes(row.name)) : rows,
		filters(params),
		(filter) => {
			switch (filter) {
				case 'region-name': {
					return (row: RegionRow) => [row.name];
				}

				case 'endpoint': {
					return (row: RegionRow) => [row.endpoint];
				}

				case 'opt-in-status': {
					return () => ['opt-in-not-required'];
				}

				default: {
					return undefined;
				}
			}
		},
		'InvalidParameterValue',
	);
	checkDryRun(params);
	return itemSet(
		'regionInfo',
		selected.map(
			(row) =>
				el('regionName', row.name) + el('regionEndpoint', row.endpoint) + el('optInStatus', 'opt-in-not-required'),
		),
	);
};
