import {describe, expect, test} from 'vitest';
import {AppError} from '../../../source/core/app-error.js';
import {formatClock} from '../../../source/core/format.js';
import {validateAmiName, validateBucketName} from '../../../source/core/validation.js';
import {statusLines, statusText} from '../../../source/ui/components/status-line.js';
import {layoutColumns, rowImageText, shortRegion} from '../../../source/ui/components/task-table.js';
import {backoffDelay} from '../../../source/ui/hooks/use-poller.js';
import {classifyError} from '../../../source/ui/state/dashboard-cycle.js';
import {windowStart} from '../../../source/ui/state/list-and-text.js';
import {migratedBucketName} from '../../../source/ui/state/migrate-dialog-state.js';
import {amiNameFromPrefix} from '../../../source/ui/state/register-dialog-state.js';

function windowAround(count: number, selected: number, size: number): {start: number; end: number} {
	const start = windowStart(count, selected, size);
	return {start, end: Math.min(count, start + size)};
}

describe('table layout', () => {
	test.each([40, 60, 80, 100, 120, 160, 220])('columns fit %i cells (one and several regions)', (width) => {
		for (const multi of [false, true]) {
			const columns = layoutColumns(width, multi);
			const used = 2 + columns.reduce((sum, column) => sum + column.width, 0) + columns.length - 1;
			expect(used).toBeLessThanOrEqual(Math.max(width, 22));
			const ids = columns.map((column) => column.id);
			expect(ids).toContain('bundle');
			expect(ids).toContain('state');
		}
	});

	test('80 columns keep state, progress and ETA; the region column appears when several regions are watched', () => {
		const single = layoutColumns(80, false).map((column) => column.id);
		expect(single).toEqual(expect.arrayContaining(['bundle', 'instance', 'location', 'state', 'progress', 'eta']));
		expect(single).not.toContain('region');
		expect(layoutColumns(80, true).map((column) => column.id)).toContain('region');
		expect(layoutColumns(200, true).map((column) => column.id)).toContain('ami');
	});

	test('short region codes', () => {
		expect(shortRegion('us-east-1')).toBe('use1');
		expect(shortRegion('ap-southeast-2')).toBe('apse2');
		expect(shortRegion('eu-west-1')).toBe('euw1');
	});
});

describe('poll backoff and status', () => {
	test('backoff doubles, is capped, and is jittered between half and all of the ceiling', () => {
		const options = {baseMs: 2000, maxMs: 60_000};
		expect(backoffDelay(1, options, () => 0)).toBe(1000);
		expect(backoffDelay(1, options, () => 1)).toBe(2000);
		expect(backoffDelay(3, options, () => 1)).toBe(8000);
		expect(backoffDelay(30, options, () => 1)).toBe(60_000);
		expect(backoffDelay(30, options, () => 0)).toBe(30_000);
	});

	test('throttling codes are told apart from other retryable and fatal errors', () => {
		expect(classifyError(new AppError({code: 'RequestLimitExceeded', message: 'x', retryable: true}))).toBe(
			'throttled',
		);
		expect(classifyError(new AppError({code: 'NetworkError', message: 'x', retryable: true}))).toBe('unreachable');
		expect(classifyError(new AppError({code: 'AuthFailure', message: 'x'}))).toBe('error');
	});

	test('status text: countdown while a region fails, keeping the time of the last good data', () => {
		const now = Date.UTC(2026, 10, 26, 14, 0, 0);
		const base = {
			watched: ['us-east-1', 'us-west-2'],
			loaded: true,
			lastCycleAt: now - 5000,
			now,
			summary: '2 tasks',
		};
		const throttled = statusText({
			...base,
			nextPollAt: now + 7200,
			regions: {
				'us-east-1': {lastOk: now - 20_000, error: 'Rate exceeded', problem: 'throttled'},
				'us-west-2': {lastOk: now - 5000, error: undefined, problem: undefined},
			},
		});
		expect(throttled.text).toMatch(/^us-east-1: throttled — retrying in 8 s · showing data from \d\d:\d\d:\d\d$/);
		expect(throttled.tone).toBe('warning');
		const fine = statusText({...base, nextPollAt: now + 3000, regions: {}});
		// The time of the next refresh is shown (issue 15 friction), as a time of day: it stays the same from one second
		// to the next (a countdown would redraw an idle dashboard every second).
		const updated = formatClock(new Date(now - 5000));
		const next = formatClock(new Date(now + 3000));
		expect(fine.text).toBe(`updated ${updated}, next ${next} · 2 regions · 2 tasks`);
		expect(statusText({...base, now: now + 1000, nextPollAt: now + 3000, regions: {}}).text).toBe(fine.text);
	});

	test('the usual status wraps between its phrases, never inside one (the walk saw "6 tasks · 1" / "active ·")', () => {
		const now = Date.UTC(2026, 10, 26, 14, 0, 0);
		const props = {
			watched: ['us-east-1', 'us-west-2'],
			loaded: true,
			lastCycleAt: now - 5000,
			nextPollAt: now + 3000,
			now,
			regions: {},
			summary: '6 tasks · 1 active · sort\u00A0start\u00A0time\u00A0↓',
		};
		const phrases = statusText(props).text.split(' · ');
		// Widths where each phrase fits on a line of its own (a longer phrase alone would wrap inside)
		for (const width of [36, 40, 50, 60]) {
			const lines = statusLines(props, width, 4);
			expect(lines.every((line) => [...line].length <= width)).toBe(true);
			// Every piece of every line is a whole phrase of the status, and none is lost
			expect(lines.flatMap((line) => line.split(' · '))).toEqual(phrases);
		}
	});
});

describe('dialog defaults', () => {
	test('AMI name from the prefix is valid', () => {
		for (const prefix of ['web01-20261123-1402', 'bundles/win/web01', 'a', 'x+y=z']) {
			expect(validateAmiName(amiNameFromPrefix(prefix)).ok).toBe(true);
		}

		expect(amiNameFromPrefix('bundles/win/web01')).toBe('web01');
	});

	test('destination bucket name proposal is a valid bucket name', () => {
		expect(migratedBucketName('my-bucket', 'eu-west-1')).toBe('my-bucket-eu-west-1');
		expect(validateBucketName(migratedBucketName('b'.repeat(63), 'ap-southeast-2')).ok).toBe(true);
	});

	test('the table window follows the selection', () => {
		expect(windowAround(500, 0, 10)).toEqual({start: 0, end: 10});
		expect(windowAround(500, 250, 10)).toEqual({start: 245, end: 255});
		expect(windowAround(500, 499, 10)).toEqual({start: 490, end: 500});
		expect(windowAround(3, 2, 10)).toEqual({start: 0, end: 3});
	});
});

describe('AMIs in the row (issue 15 friction)', () => {
	const image = (imageId: string, region: string, kind: 'registered' | 'migrated' | 'copied') => ({
		imageId,
		region,
		name: 'win',
		kind,
		at: '2026-11-26T10:00:00.000Z',
	});
	const row = (images: ReturnType<typeof image>[]) =>
		({region: 'us-east-1', history: {images}}) as unknown as Parameters<typeof rowImageText>[0];

	test('own AMI first, AMIs migrated to other regions counted; a migrated-only bundle shows where', () => {
		expect(rowImageText(row([]))).toBe('');
		expect(rowImageText(row([image('ami-own', 'us-east-1', 'registered')]))).toBe('ami-own');
		expect(
			rowImageText(
				row([
					image('ami-own', 'us-east-1', 'registered'),
					image('ami-eu', 'eu-west-1', 'migrated'),
					image('ami-ap', 'ap-southeast-2', 'copied'),
				]),
			),
		).toBe('ami-own +2');
		expect(rowImageText(row([image('ami-eu', 'eu-west-1', 'migrated')]))).toBe('ami-eu euw1');
		// Registered twice here and migrated once (the walk saw "+1" beside three AMIs): the newest here, +2
		expect(
			rowImageText(
				row([
					image('ami-first', 'us-east-1', 'registered'),
					image('ami-eu', 'eu-west-1', 'migrated'),
					image('ami-again', 'us-east-1', 'registered'),
				]),
			),
		).toBe('ami-again +2');
	});

	test('a narrow cell cuts the AMI id, never its region code or count (the walk saw "ami-1…e1 +1" for "… use1 +1")', () => {
		const own = image('ami-1911260f43ff0245c', 'us-east-1', 'registered');
		const europe = image('ami-28d83a8b607b27325', 'eu-west-1', 'migrated');
		const oregon = image('ami-96e0b47ba803b11f4', 'us-west-2', 'migrated');
		expect(rowImageText(row([own, europe]), 11)).toBe('ami-…45c +1');
		expect(rowImageText(row([europe]), 11)).toBe('ami…25 euw1');
		// No room for the id with both: the region code goes, the count stays
		expect(rowImageText(row([europe, oregon]), 11)).toBe('ami-…1f4 +1');
		expect(rowImageText(row([europe, oregon]), 40)).toBe('ami-96e0b47ba803b11f4 usw2 +1');
	});

	test('the instance name column is capped on wide terminals', () => {
		const instance = layoutColumns(200, true).find((column) => column.id === 'instance');
		expect(instance?.width).toBeLessThanOrEqual(19);
	});
});
