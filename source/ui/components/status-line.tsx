/**
 * The poll status on one line: last update time, counts, sort and filter; or, while a region fails, what failed
 * and when the next try is ("us-east-1: throttled — retrying in 8 s") while the last good data stays on screen.
 */
import {Text} from 'ink';
import {formatClock} from '../../core/format.js';
import type {RegionStatus} from '../state/dashboard-state.js';
import {fitPhrases} from './fit-phrases.js';
import {limitLines, wrappedText} from './wrapped-text.js';

export type StatusLineProps = {
	watched: readonly string[];
	regions: Readonly<Record<string, RegionStatus>>;
	loaded: boolean;
	lastCycleAt: number | undefined;
	nextPollAt: number | undefined;
	now: number;
	summary: string;
};

function seconds(ms: number): number {
	return Math.max(0, Math.ceil(ms / 1000));
}

export function statusText({watched, regions, loaded, lastCycleAt, nextPollAt, now, summary}: StatusLineProps): {
	text: string;
	tone: 'normal' | 'warning' | 'error';
} {
	const where = watched.length === 1 ? watched[0] : `${watched.length} regions`;
	if (!loaded) {
		return {text: `Loading tasks in ${where}…`, tone: 'normal'};
	}

	const failing = watched.filter((region) => regions[region]?.error !== undefined);
	const retry = nextPollAt === undefined ? '' : ` — retrying in ${seconds(nextPollAt - now)} s`;
	if (failing.length > 0) {
		const first = failing[0] ?? '';
		const status = regions[first];
		const what = status?.problem === 'throttled' ? 'throttled' : (status?.error ?? 'failed');
		const more = failing.length > 1 ? ` (+${failing.length - 1} more region${failing.length > 2 ? 's' : ''})` : '';
		const kept = status?.lastOk === undefined ? '' : ` · showing data from ${formatClock(new Date(status.lastOk))}`;
		return {
			text: `${first}: ${what}${status?.problem === 'error' ? '' : retry}${more}${kept}`,
			tone: status?.problem === 'error' ? 'error' : 'warning',
		};
	}

	// When the next poll comes (R polls now), as a time of day: a countdown would change the frame every second, and
	// redrawing it would cost an idle dashboard most of its CPU.
	const next = nextPollAt === undefined ? '' : `, next ${formatClock(new Date(nextPollAt))}`;
	const updated = lastCycleAt === undefined ? '' : `updated ${formatClock(new Date(lastCycleAt))}${next} · `;
	return {text: `${updated}${where} · ${summary}`, tone: 'normal'};
}

/**
 * The status as shown: wrapped at `width` into at most `maxLines` lines (so a failure's reason is not cut). The usual
 * status breaks between its phrases ("6 tasks · 1 active"), never inside one, as titles do.
 */
export function statusLines(props: StatusLineProps, width: number, maxLines: number): string[] {
	const {text, tone} = statusText(props);
	if (tone === 'normal') {
		return limitLines(
			fitPhrases(
				text.split(' · ').map((phrase) => ({text: phrase})),
				width,
			),
			maxLines,
			width,
		);
	}

	return wrappedText(`⚠ ${text}`, {width, maxLines});
}

export function StatusLine(props: StatusLineProps & {width?: number | undefined; maxLines?: number | undefined}) {
	const {tone} = statusText(props);
	const color = tone === 'error' ? 'red' : tone === 'warning' ? 'yellow' : undefined;
	const lines = statusLines(props, props.width ?? Number.POSITIVE_INFINITY, props.maxLines ?? 1);
	return (
		<>
			{lines.map((line, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one status, in order
				<Text key={index} wrap="truncate-end" color={color}>
					{line}
				</Text>
			))}
		</>
	);
}
