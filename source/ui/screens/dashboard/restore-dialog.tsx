/**
 * `r` on a complete store task: reads the stored object (the AMI's name, size) and the AMI names taken in the
 * bucket's region, asks for the new AMI's name (prefilled from the stored AMI, validated and checked free as you
 * type), then CreateRestoreImageTask; the dashboard follows the new AMI to available.
 */
import {useReducer} from 'react';
import {formatBytes} from '../../../core/format.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {pending} from '../../state/remote.js';
import {checkRestoreName, initialRestoreState, restoreReducer} from '../../state/restore-dialog-state.js';
import {DialogFrame} from './dialog-frame.js';

export type RestoredAmi = {imageId: string; region: string; name: string};

export type RestoreDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	onRestored(image: RestoredAmi): void;
	onClose(): void;
};

export function RestoreDialog({row, width, height, onRestored, onClose}: RestoreDialogProps) {
	const {services, quit} = useAppContext();
	const object = `${row.bucket}/${row.prefix}`;
	const [state, dispatch] = useReducer(restoreReducer, row.work?.chain?.name ?? row.bundleId, initialRestoreState);
	const {load, name, submit} = state;
	useKeys(dispatch);
	useRequest(
		pending(load),
		async () => {
			const [stored, images] = await Promise.all([
				services.describeStoredObject(row.region, row.bucket, row.prefix),
				services.describeImages(row.region),
			]);
			return {stored, takenNames: images.map((image) => image.name)};
		},
		dispatch,
		(loaded, seq) => ({type: 'loaded', seq, load: loaded}) as const,
	);
	useRequest(
		pending(submit),
		async () => services.restoreImage({region: row.region, bucket: row.bucket, objectKey: row.prefix, name}),
		dispatch,
		({imageId}, seq) => ({type: 'restored', seq, imageId}) as const,
	);
	useIntent(state.intent, dispatch, {
		quit,
		close: onClose,
		restored: ({imageId}) => onRestored({imageId, region: row.region, name}),
	});

	const nameCheck = checkRestoreName(state);
	const objectLine =
		load.status === 'loading' ? (
			<SpinnerLine key="object" label={`Reading s3://${object}…`} />
		) : load.status === 'failed' ? (
			<ErrorLine key="object" error={load.failure.line} prefix="Stored object check failed" width={width} />
		) : (
			wrappedLines(
				`✓ s3://${object} · ${formatBytes(load.data.stored.size)}${load.data.stored.amiName ? ` · stored AMI "${load.data.stored.amiName}"` : ''}`,
				{width, id: 'object'},
			)
		);
	return (
		<DialogFrame
			title={`Restore an AMI from ${row.bundleId} in ${row.region}`}
			width={width}
			height={height}
			hint={load.status === 'failed' ? 'enter check again · esc close' : 'enter restore · ctrl+u clear · esc close'}
		>
			{objectLine}
			<TextField label="Name " value={name} focused invalidReason={nameCheck.ok ? undefined : nameCheck.reason} />
			{submit?.status === 'running' ? <SpinnerLine label={`Restoring ${name}…`} /> : null}
			{submit?.status === 'failed' ? (
				<ErrorLine error={submit.failure.line} prefix="Restore failed" width={width} />
			) : null}
		</DialogFrame>
	);
}
