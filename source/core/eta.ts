/**
 * ETA estimator for a bundle task, fed successive (time, progress) samples from polling. Functional: state in,
 * state out, so a reducer can hold it. Pure, no I/O, no clock reads (callers pass times).
 *
 * How it works: the estimator keeps the times at which progress first reached each new value ("change points").
 * The very first value seen may have been reached long before, so it is dropped at the first increase, which
 * becomes the anchor. The rate is the least-squares slope of the change points in a sliding window (smooths the
 * jitter of integer progress read at poll times), and the finish time is where that line reaches 100%, so the
 * estimate counts down between polls. When the line's finish time passes without progress moving, the estimate
 * falls back to the slower average rate including the current stall and is flagged `overdue`. Progress going
 * backwards or a phase (state) change restarts from scratch.
 *
 * Use one clock for samples and `nowMs` (e.g. the local time each poll result arrived, see etaSampleFromTask).
 */
import {formatDuration} from './format.js';
import type {BundleTask} from './types.js';

export type EtaOptions = {
	/** Progress increases needed before estimating; the first one only anchors (default 2, minimum 2). */
	minIncrements?: number | undefined;
	/** Change points the rate is fitted over (default 12, minimum 2). */
	window?: number | undefined;
};

export type EtaPoint = {readonly timeMs: number; readonly progress: number};

export type EtaState = {
	/** Phase the samples belong to (the task state); a different phase restarts the estimator. */
	readonly phase: string | undefined;
	/** Change points, oldest first, at most `window` of them. */
	readonly points: readonly EtaPoint[];
	/** Progress increases seen since the last restart. */
	readonly increments: number;
};

export type EtaSample = {
	timeMs: number;
	/** Percent 0-100; undefined samples are ignored (except for a phase change). */
	progress: number | undefined;
	phase?: string | undefined;
};

export type EtaEstimate =
	| {kind: 'unknown'}
	| {
			kind: 'estimate';
			remainingMs: number;
			/** Rate used, in percent per minute. */
			percentPerMinute: number;
			/** True when progress has stalled past the expected finish and the slower average rate was used. */
			overdue: boolean;
	  };

/** An estimator with no samples. */
export const initialEtaState: EtaState = Object.freeze({phase: undefined, points: Object.freeze([]), increments: 0});

function resolve(options: EtaOptions) {
	return {
		minIncrements: Math.max(2, Math.floor(options.minIncrements ?? 2)),
		window: Math.max(2, Math.floor(options.window ?? 12)),
	};
}

function restart(phase: string | undefined, point: EtaPoint | undefined): EtaState {
	return {phase, points: point ? [point] : [], increments: 0};
}

/**
 * Feeds one sample and returns the new state (the same object when nothing changed). Ignores samples without a
 * finite progress or time, and samples older than the last change point.
 */
export function addEtaSample(state: EtaState, sample: EtaSample, options: EtaOptions = {}): EtaState {
	const {window} = resolve(options);
	const phaseChanged = sample.phase !== undefined && sample.phase !== state.phase;
	const base = phaseChanged ? restart(sample.phase, undefined) : state;
	if (sample.progress === undefined || !Number.isFinite(sample.progress) || !Number.isFinite(sample.timeMs)) {
		return base;
	}

	const point: EtaPoint = {timeMs: sample.timeMs, progress: Math.min(100, Math.max(0, sample.progress))};
	const last = base.points.at(-1);
	if (!last || point.progress < last.progress) {
		return restart(base.phase, point);
	}

	if (point.progress === last.progress || point.timeMs < last.timeMs) {
		return base;
	}

	if (point.timeMs === last.timeMs) {
		// Two values at the same instant: keep the higher one, there is no rate to learn.
		return {...base, points: [...base.points.slice(0, -1), point]};
	}

	const increments = base.increments + 1;
	// The first increase replaces the first-seen value, whose real arrival time is unknown.
	const kept = increments === 1 ? [] : base.points;
	return {phase: base.phase, points: [...kept, point].slice(-window), increments};
}

/** Least-squares line through the points: slope (percent per ms) and the time it reaches 100%. */
function fitLine(points: readonly EtaPoint[]): {slope: number; finishMs: number} | undefined {
	const n = points.length;
	if (n < 2) {
		return undefined;
	}

	const origin = points[0]!.timeMs;
	let sumT = 0;
	let sumP = 0;
	for (const point of points) {
		sumT += point.timeMs - origin;
		sumP += point.progress;
	}

	const meanT = sumT / n;
	const meanP = sumP / n;
	let sxx = 0;
	let sxy = 0;
	for (const point of points) {
		const dt = point.timeMs - origin - meanT;
		sxx += dt * dt;
		sxy += dt * (point.progress - meanP);
	}

	const slope = sxx > 0 ? sxy / sxx : 0;
	if (!(slope > 0)) {
		return undefined;
	}

	return {slope, finishMs: origin + meanT + (100 - meanP) / slope};
}

/** The estimate at `nowMs`: 'unknown' until enough increases were seen, 0 ms once progress is 100. */
export function estimateEta(state: EtaState, nowMs: number, options: EtaOptions = {}): EtaEstimate {
	const {minIncrements} = resolve(options);
	const last = state.points.at(-1);
	if (!last) {
		return {kind: 'unknown'};
	}

	const line = fitLine(state.points);
	if (last.progress >= 100) {
		return {kind: 'estimate', remainingMs: 0, percentPerMinute: (line?.slope ?? 0) * 60_000, overdue: false};
	}

	if (state.increments < minIncrements || !line) {
		return {kind: 'unknown'};
	}

	const remaining = line.finishMs - nowMs;
	if (remaining > 0) {
		return {
			kind: 'estimate',
			remainingMs: Math.round(remaining),
			percentPerMinute: line.slope * 60_000,
			overdue: false,
		};
	}

	const first = state.points[0]!;
	const span = nowMs - first.timeMs;
	const slowRate = span > 0 ? (last.progress - first.progress) / span : 0;
	if (!(slowRate > 0)) {
		return {kind: 'unknown'};
	}

	return {
		kind: 'estimate',
		remainingMs: Math.round((100 - last.progress) / slowRate),
		percentPerMinute: slowRate * 60_000,
		overdue: true,
	};
}

/** A sample from a polled task: `receivedAtMs` is when the poll result arrived (local clock). */
export function etaSampleFromTask(task: Pick<BundleTask, 'state' | 'progress'>, receivedAtMs: number): EtaSample {
	return {timeMs: receivedAtMs, progress: task.progress, phase: task.state};
}

/** '3m 05s' for an estimate ('~' in front when overdue), '?' when unknown. */
export function formatEta(estimate: EtaEstimate): string {
	if (estimate.kind === 'unknown') {
		return '?';
	}

	return `${estimate.overdue ? '~' : ''}${formatDuration(estimate.remainingMs)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Many tasks

/** Estimators keyed by task (use taskKey(region, bundleId) from task-model.ts). */
export type EtaBook = Readonly<Record<string, EtaState>>;

/** Feeds a sample to one task's estimator; returns the same book when nothing changed. */
export function updateEtaBook(book: EtaBook, key: string, sample: EtaSample, options: EtaOptions = {}): EtaBook {
	const before = book[key] ?? initialEtaState;
	const after = addEtaSample(before, sample, options);
	return after === before ? book : {...book, [key]: after};
}

/** Keeps only the given keys (drop finished or vanished tasks); returns the same book when nothing was dropped. */
export function pruneEtaBook(book: EtaBook, keep: Iterable<string>): EtaBook {
	const wanted = new Set(keep);
	const keys = Object.keys(book);
	if (keys.every((key) => wanted.has(key))) {
		return book;
	}

	const next: Record<string, EtaState> = {};
	for (const key of keys) {
		const state = book[key];
		if (wanted.has(key) && state) {
			next[key] = state;
		}
	}

	return next;
}

/** The estimate for one task in a book ('unknown' for unknown keys). */
export function estimateFromBook(book: EtaBook, key: string, nowMs: number, options: EtaOptions = {}): EtaEstimate {
	const state = book[key];
	return state ? estimateEta(state, nowMs, options) : {kind: 'unknown'};
}
