/** `c` on an active task: says exactly what cancelling does, asks y/N, then calls CancelBundleTask. */
import {useReducer} from 'react';
import {namedInstance} from '../../../core/format.js';
import type {BundleTask} from '../../../core/types.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {cancelReducer, initialCancelState} from '../../state/cancel-dialog-state.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {pending} from '../../state/remote.js';
import {DialogFrame} from './dialog-frame.js';

export type CancelDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	onCancelled(task: BundleTask): void;
	onClose(): void;
};

export function cancelQuestion(row: DashboardRow): string {
	const instance = namedInstance(row.instanceName, row.instanceId);
	return `Cancel ${row.bundleId} on instance ${instance}? The instance is restarted and uploaded parts removed.`;
}

export function CancelDialog({row, width, height, onCancelled, onClose}: CancelDialogProps) {
	const {services, quit} = useAppContext();
	const [state, dispatch] = useReducer(cancelReducer, initialCancelState);
	useKeys(dispatch);
	useRequest(
		pending(state.call),
		async () => services.cancelBundle(row.region, row.bundleId),
		dispatch,
		(task, seq) => ({type: 'cancelled', seq, task}) as const,
	);
	useIntent(state.intent, dispatch, {quit, close: onClose, cancelled: ({task}) => onCancelled(task)});

	const {call} = state;
	return (
		<DialogFrame
			title="Cancel bundle task"
			width={width}
			height={height}
			hint={
				call === undefined
					? 'y cancel the task · n / esc keep it running'
					: call.status === 'failed'
						? 'any key closes'
						: ''
			}
		>
			{wrappedLines(`${cancelQuestion(row)} y/N`, {width, indent: 0, id: 'question'})}
			{call?.status === 'running' ? <SpinnerLine label={`Cancelling ${row.bundleId}…`} /> : null}
			{call?.status === 'failed' ? (
				<ErrorLine error={call.failure.line} prefix={`Could not cancel ${row.bundleId}`} width={width} />
			) : null}
		</DialogFrame>
	);
}
