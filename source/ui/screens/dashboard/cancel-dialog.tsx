/** `c` on an active task: says exactly what cancelling does, asks y/N, then calls CancelBundleTask. */
import {useCallback, useEffect, useRef, useState} from 'react';
import type {BundleTask} from '../../../core/types.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useStableInput} from '../../hooks/use-stable-input.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {DialogFrame} from './dialog-frame.js';

export type CancelDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	onCancelled(task: BundleTask): void;
	onClose(): void;
};

type Phase = {kind: 'confirm'} | {kind: 'working'} | {kind: 'failed'; error: unknown};

export function cancelQuestion(row: DashboardRow): string {
	const instance = row.instanceName ? `${row.instanceName} (${row.instanceId})` : row.instanceId;
	return `Cancel ${row.bundleId} on instance ${instance}? The instance is restarted and uploaded parts removed.`;
}

export function CancelDialog({row, width, height, onCancelled, onClose}: CancelDialogProps) {
	const {services, quit} = useAppContext();
	const [phase, setPhase] = useState<Phase>({kind: 'confirm'});
	const live = useRef(true);
	useEffect(
		() => () => {
			live.current = false;
		},
		[],
	);

	// Set at once (not at the next render): a second y in the same burst of keys must not cancel twice.
	const asked = useRef(false);
	const confirm = useCallback(() => {
		if (asked.current) {
			return;
		}

		asked.current = true;
		setPhase({kind: 'working'});
		services.cancelBundle(row.region, row.bundleId).then(
			(task) => {
				if (live.current) {
					onCancelled(task);
				}
			},
			(error: unknown) => {
				asked.current = false;
				if (live.current) {
					setPhase({kind: 'failed', error});
				}
			},
		);
	}, [services, row.region, row.bundleId, onCancelled]);

	useStableInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				quit();
				return;
			}

			if (phase.kind === 'working') {
				return;
			}

			if (phase.kind === 'confirm' && (input === 'y' || input === 'Y')) {
				confirm();
				return 'stop';
			}

			if (phase.kind === 'failed' || key.escape || key.return || input === 'n' || input === 'N' || input === 'q') {
				onClose();
				return 'stop';
			}

			return undefined;
		},
		{isActive: true},
	);

	return (
		<DialogFrame
			title="Cancel bundle task"
			width={width}
			height={height}
			hint={
				phase.kind === 'confirm'
					? 'y cancel the task · n / esc keep it running'
					: phase.kind === 'failed'
						? 'any key closes'
						: ''
			}
		>
			{wrappedLines(`${cancelQuestion(row)} y/N`, {width, indent: 0, id: 'question'})}
			{phase.kind === 'working' ? <SpinnerLine label={`Cancelling ${row.bundleId}…`} /> : null}
			{phase.kind === 'failed' ? (
				<ErrorLine error={phase.error} prefix={`Could not cancel ${row.bundleId}`} width={width} />
			) : null}
		</DialogFrame>
	);
}
