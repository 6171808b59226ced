/** Found in the issue 15 walk: at 200 columns the wizard's Name column took 115 of them (the dashboard's is capped). */
import {expect, test} from 'vitest';
import {columnsFor, instanceRow} from '../../../source/ui/screens/wizard/instance-step.js';
import {instanceWith} from '../../helpers/instances.js';

test('the instance Name column is capped at 40 on wide terminals and still fills narrow ones', () => {
	expect(columnsFor(200).name).toBe(40);
	expect(columnsFor(80).name).toBeLessThan(40);
	expect(columnsFor(80).name).toBeGreaterThanOrEqual(8);
});

test('on narrow terminals the launch date, then the type, go: a row fits and its path is whole', () => {
	const instance = instanceWith({
		id: 'i-3e8c0f79981f6d9b8',
		name: 'archive01',
		type: 'r5.large',
		launchTime: new Date('2026-02-14T10:00:00Z'),
		ineligibleReason: undefined,
	});
	for (const width of [50, 60, 61, 71, 72, 80, 95, 96, 120, 200]) {
		const {label} = instanceRow(instance, columnsFor(width));
		expect(2 + label.length, `${width}: ${label}`).toBeLessThanOrEqual(width);
		expect(label, String(width)).toContain('image → S3');
		expect(label.includes('2026-02-14'), String(width)).toBe(width >= 72);
		expect(label.includes('r5.large'), String(width)).toBe(width >= 61);
	}
});

test('on narrow terminals a row that cannot go shows its whole reason in place of the instance id', () => {
	const stopped = instanceWith({
		id: 'i-bc0d2c210a043822d',
		name: 'file01',
		type: 'm5.large',
		state: 'stopped',
		rootDeviceType: 'instance-store',
		ineligibleReason: 'Not running (stopped)',
	});
	for (const width of [60, 80]) {
		const {label, disabled} = instanceRow(stopped, columnsFor(width));
		expect(disabled).toBe(true);
		expect(2 + label.length, `${width}: ${label}`).toBeLessThanOrEqual(width);
		expect(label, String(width)).toMatch(/✗ Not running \(stopped\)$/);
	}
});
