/** DescribeAvailabilityZones: three zones (a, b, c) per sandbox region, where the seeded instances live. */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {applyFilters, bool, checkDryRun, filters, list} from '../params.js';
import {el, itemSet, node} from '../xml.js';

type Zone = {name: string; id: string; region: string};

const directionShort: Record<string, string> = {east: 'e', west: 'w', southeast: 'se', northeast: 'ne', central: 'c'};

/** us-east-1 -> use1, ap-southeast-2 -> apse2: the short form AWS uses in zone ids (use1-az1). */
function regionShort(region: string): string {
	const [area = '', direction = '', number = ''] = region.split('-');
	return `${area}${directionShort[direction] ?? direction.slice(0, 1)}${number}`;
}

export function zonesOf(region: string): Zone[] {
	return ['a', 'b', 'c'].map((letter, index) => ({
		name: `${region}${letter}`,
		id: `${regionShort(region)}-az${index + 1}`,
		region,
	}));
}

export const describeAvailabilityZones: ActionHandler = ({params, region}) => {
	const names = list(params, 'ZoneName');
	const ids = list(params, 'ZoneId');
	bool(params, 'AllAvailabilityZones');
	const zones = zonesOf(region);
	for (const name of names) {
		if (!zones.some((zone) => zone.name === name)) {
			throw new SandboxError('InvalidParameterValue', `The zone '${name}' does not exist.`);
		}
	}

	const chosen = zones.filter(
		(zone) => (names.length === 0 || names.includes(zone.name)) && (ids.length === 0 || ids.includes(zone.id)),
	);
	const selected = applyFilters(
		chosen,
		filters(params),
		(filter) => {
			switch (filter) {
				case 'zone-name': {
					return (zone: Zone) => [zone.name];
				}

				case 'zone-id': {
					return (zone: Zone) => [zone.id];
				}

				case 'region-name': {
					return (zone: Zone) => [zone.region];
				}

				case 'state': {
					return () => ['available'];
				}

				case 'zone-type': {
					return () => ['availability-zone'];
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
		'availabilityZoneInfo',
		selected.map(
			(zone) =>
				el('zoneName', zone.name) +
				el('zoneState', 'available') +
				el('regionName', zone.region) +
				el('zoneId', zone.id) +
				el('zoneType', 'availability-zone') +
				el('optInStatus', 'opt-in-not-required') +
				el('groupName', zone.region) +
				el('networkBorderGroup', zone.region) +
				node('messageSet'),
		),
	);
};
