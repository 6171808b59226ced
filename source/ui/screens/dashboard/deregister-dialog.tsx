/** `D` on a row with an AMI bundledeck registered or restored: says what deregistering does, asks y/N, then calls it. */
import {useReducer} from 'react';
import {safeText} from '../../../core/terminal-text.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {type DeregisterTarget, deregisterReducer, initialDeregisterState} from '../../state/deregister-dialog-state.js';
import {pending} from '../../state/remote.js';
import {DialogFrame} from './dialog-frame.js';

export type DeregisterDialogProps = {
	target: DeregisterTarget;
	width: number;
	height: number;
	onDeregistered(target: DeregisterTarget): void;
	onClose(): void;
};

export function DeregisterDialog({target, width, height, onDeregistered, onClose}: DeregisterDialogProps) {
	const {services, quit} = useAppContext();
	const [state, dispatch] = useReducer(deregisterReducer, initialDeregisterState);
	useKeys(dispatch);
	useRequest(
		pending(state.call),
		async () => services.deregisterImage(target.region, target.imageId),
		dispatch,
		(_done, seq) => ({type: 'deregistered', seq}) as const,
	);
	useIntent(state.intent, dispatch, {quit, close: onClose, deregistered: () => onDeregistered(target)});

	const {call} = state;
	// The name, bucket and prefix come from AWS and the history file: shown as code points where unsafe
	const question = safeText(
		`Deregister ${target.imageId} "${target.name}" in ${target.region}? Instances can no longer be launched from it; ${target.stays}.`,
		{maxLength: Number.POSITIVE_INFINITY},
	);
	return (
		<DialogFrame
			title="Deregister AMI"
			width={width}
			height={height}
			hint={call === undefined ? 'y deregister · n / esc keep it' : call.status === 'failed' ? 'any key closes' : ''}
		>
			{wrappedLines(`${question} y/N`, {width, indent: 0, id: 'question'})}
			{call?.status === 'running' ? <SpinnerLine label={`Deregistering ${target.imageId}…`} /> : null}
			{call?.status === 'failed' ? (
				<ErrorLine error={call.failure.line} prefix={`Could not deregister ${target.imageId}`} width={width} />
			) : null}
		</DialogFrame>
	);
}
