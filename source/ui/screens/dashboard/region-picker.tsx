/** `g`: choose the watched regions (several or all); the table shows a Region column when more than one. */
import {Text} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {ErrorLine} from '../../components/error-line.js';
import {SelectList} from '../../components/select-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {useStableInput} from '../../hooks/use-stable-input.js';
import {useAppContext} from '../../state/app-context.js';
import {DialogFrame} from './dialog-frame.js';

export type RegionPickerProps = {
	watched: readonly string[];
	width: number;
	height: number;
	onApply(regions: string[]): void;
	onClose(): void;
};

type Load = {kind: 'loading'} | {kind: 'ready'; regions: string[]} | {kind: 'failed'; error: unknown};

export function RegionPicker({watched, width, height, onApply, onClose}: RegionPickerProps) {
	const {services, region: current, quit} = useAppContext();
	const [load, setLoad] = useState<Load>({kind: 'loading'});
	const [attempt, setAttempt] = useState(0);
	const [cursor, setCursorState] = useState(0);
	// Also kept in a ref, set at once: in a burst of keys ("j j space") each key sees the moves before it.
	const cursorRef = useRef(0);
	const setCursor = useCallback((next: number | ((value: number) => number)) => {
		cursorRef.current = typeof next === 'function' ? next(cursorRef.current) : next;
		setCursorState(cursorRef.current);
	}, []);
	const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(watched));
	const [warning, setWarning] = useState<string | undefined>(undefined);

	// biome-ignore lint/correctness/useExhaustiveDependencies: load once per attempt; watched is only the initial choice
	useEffect(() => {
		let live = true;
		setLoad({kind: 'loading'});
		services.listRegions().then(
			(regions) => {
				if (live) {
					const all = [...new Set([...regions, ...watched])].sort();
					setLoad({kind: 'ready', regions: all});
					setCursor(Math.max(0, all.indexOf(watched[0] ?? current)));
				}
			},
			(error: unknown) => {
				if (live) {
					setLoad({kind: 'failed', error});
				}
			},
		);
		return () => {
			live = false;
		};
	}, [services, attempt]);

	const regions = load.kind === 'ready' ? load.regions : [];
	const toggle = useCallback((region: string) => {
		setChosen((before) => {
			const next = new Set(before);
			if (next.has(region)) {
				next.delete(region);
			} else {
				next.add(region);
			}

			return next;
		});
	}, []);

	useStableInput((input, key) => {
		if (key.ctrl && input === 'c') {
			quit();
			return;
		}

		if (key.escape) {
			onClose();
			return;
		}

		if (load.kind === 'failed' && input === 'r') {
			setAttempt((value) => value + 1);
			return;
		}

		if (load.kind !== 'ready') {
			return;
		}

		if (key.upArrow || input === 'k') {
			setCursor((value) => Math.max(0, value - 1));
		} else if (key.downArrow || input === 'j') {
			setCursor((value) => Math.max(0, Math.min(regions.length - 1, value + 1)));
		} else if (input === ' ') {
			const region = regions[cursorRef.current];
			if (region) {
				toggle(region);
			}
		} else if (input === 'a') {
			setChosen((before) => (before.size === regions.length ? new Set([current]) : new Set(regions)));
		} else if (key.return) {
			const picked = regions.filter((region) => chosen.has(region));
			if (picked.length === 0) {
				setWarning('Pick at least one region (space toggles).');
				return;
			}

			onApply(picked);
		}
	});

	const listHeight = Math.max(1, height - 3);
	return (
		<DialogFrame
			title="Watched regions"
			width={width}
			height={height}
			hint={
				load.kind === 'failed'
					? 'r retry · esc close'
					: '↑↓ move · space toggle · a all/none · enter watch these · esc close'
			}
		>
			{load.kind === 'loading' ? <SpinnerLine label="Loading regions…" /> : null}
			{load.kind === 'failed' ? <ErrorLine error={load.error} prefix="Could not list regions" width={width} /> : null}
			{load.kind === 'ready' ? (
				<SelectList
					height={listHeight}
					selectedIndex={cursor}
					items={regions.map((region) => ({
						key: region,
						label: `[${chosen.has(region) ? 'x' : ' '}] ${region}${region === current ? ' (current)' : ''}`,
					}))}
				/>
			) : null}
			{warning ? <Text color="yellow">{warning}</Text> : null}
		</DialogFrame>
	);
}
