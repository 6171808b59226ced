/**
 * `r` on a complete task: checks the manifest first (ReadManifest), then asks for the AMI name (prefilled from the
 * prefix, validated as you type), a description and the architecture (default from the manifest), and registers.
 */
import {Text} from 'ink';
import {useReducer} from 'react';
import {countOf, manifestLocation} from '../../../core/format.js';
import {validateAmiName, validateDescription} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {focusMark, TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {
	architectureNote,
	initialRegisterState,
	type RegisteredImage,
	registerReducer,
} from '../../state/register-dialog-state.js';
import {pending} from '../../state/remote.js';
import {DialogFrame} from './dialog-frame.js';

export type {RegisteredImage} from '../../state/register-dialog-state.js';

export type RegisterDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	onRegistered(image: RegisteredImage): void;
	onClose(): void;
};

export function RegisterDialog({row, width, height, onRegistered, onClose}: RegisterDialogProps) {
	const {services, quit} = useAppContext();
	const location = manifestLocation(row.bucket, row.prefix);
	// AMIs already registered from this bundle (history) take their names: `r` again proposes `name (2)`.
	const takenNames = row.history?.images.filter((image) => image.region === row.region).map((image) => image.name);
	const [state, dispatch] = useReducer(registerReducer, {prefix: row.prefix, takenNames}, initialRegisterState);
	const {manifest, name, description, architecture, field, submit} = state;
	useKeys(dispatch);
	useRequest(
		pending(manifest),
		async () => services.readManifest(row.region, location),
		dispatch,
		(summary, seq) => ({type: 'manifest-read', seq, summary}) as const,
	);
	useRequest(
		pending(state.images),
		async () => services.describeImages(row.region),
		dispatch,
		(images, seq) =>
			({
				type: 'images-listed',
				seq,
				names: images.filter((image) => image.state !== 'deregistered').map((image) => image.name),
			}) as const,
	);
	const image = {name, description: description.length > 0 ? description : undefined, architecture};
	useRequest(
		pending(submit),
		async () => services.registerImage({region: row.region, manifestLocation: location, ...image}),
		dispatch,
		({imageId, adopted}, seq) => ({type: 'registered', seq, imageId, adopted}) as const,
	);
	useIntent(state.intent, dispatch, {
		quit,
		close: onClose,
		registered: ({imageId, adopted}) => onRegistered({imageId, region: row.region, name, adopted}),
	});

	const nameCheck = validateAmiName(name);
	const descriptionCheck = validateDescription(description);
	const manifestLine =
		manifest.status === 'loading' ? (
			<SpinnerLine key="manifest" label={`Checking ${location}…`} />
		) : manifest.status === 'failed' ? (
			<ErrorLine key="manifest" error={manifest.failure.line} prefix="Manifest check failed" width={width} />
		) : (
			wrappedLines(
				`✓ ${location} · ${countOf(manifest.data.partCount, 'part')}${manifest.data.architecture ? ` · ${manifest.data.architecture}` : ''}`,
				{width, id: 'manifest'},
			)
		);
	return (
		<DialogFrame
			title={`Register an AMI from ${row.bundleId} in ${row.region}`}
			width={width}
			height={height}
			hint={
				manifest.status === 'failed'
					? 'enter check again · esc close'
					: 'tab/↑↓ field · ←→ architecture · enter register · ctrl+u clear · esc close'
			}
		>
			{manifestLine}
			<TextField
				label="Name        "
				value={name}
				focused={field === 'name'}
				invalidReason={nameCheck.ok ? undefined : nameCheck.reason}
			/>
			<TextField
				label="Description "
				value={description}
				focused={field === 'description'}
				placeholder="(optional)"
				invalidReason={descriptionCheck.ok ? undefined : descriptionCheck.reason}
			/>
			<Text wrap="truncate-end">
				{field === 'architecture' ? focusMark : '  '}
				<Text bold>Architecture </Text>
				{field === 'architecture' ? '‹ ' : ''}
				<Text inverse={field === 'architecture'}>{architecture}</Text>
				{field === 'architecture' ? ' ›' : ''}
				<Text dimColor> {architectureNote(state)}</Text>
			</Text>
			{submit?.status === 'running' ? <SpinnerLine label={`Registering ${name}…`} /> : null}
			{submit?.status === 'failed' ? (
				<ErrorLine error={submit.failure.line} prefix="Register failed" width={width} />
			) : null}
		</DialogFrame>
	);
}
