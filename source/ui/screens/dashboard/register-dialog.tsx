/**
 * `r` on a complete task: checks the manifest first (ReadManifest), then asks for the AMI name (prefilled from the
 * prefix, validated as you type), a description and the architecture (default from the manifest), and registers.
 */
import {Text} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {manifestLocation} from '../../../core/format.js';
import type {ManifestSummary} from '../../../core/services.js';
import type {Architecture} from '../../../core/types.js';
import {validateAmiName, validateDescription} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {editText, TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useStableInput} from '../../hooks/use-stable-input.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {DialogFrame} from './dialog-frame.js';

export type RegisteredImage = {imageId: string; region: string; name: string};

export type RegisterDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	onRegistered(image: RegisteredImage): void;
	onClose(): void;
};

type Manifest = {kind: 'checking'} | {kind: 'ok'; summary: ManifestSummary} | {kind: 'failed'; error: unknown};
type Field = 'name' | 'description' | 'architecture';
const fields: Field[] = ['name', 'description', 'architecture'];

/** An AMI name from a bundle prefix: the last path segment, characters AMI names refuse replaced by '-'. */
export function amiNameFromPrefix(prefix: string): string {
	const last = prefix.split('/').findLast((part) => part.length > 0) ?? prefix;
	const name = last.replaceAll(/[^A-Za-z0-9()[\] ./'@_-]/g, '-').slice(0, 128);
	return name.length >= 3 ? name : `${name}-ami`;
}

export function RegisterDialog({row, width, height, onRegistered, onClose}: RegisterDialogProps) {
	const {services, quit} = useAppContext();
	const location = manifestLocation(row.bucket, row.prefix);
	const [manifest, setManifest] = useState<Manifest>({kind: 'checking'});
	const [attempt, setAttempt] = useState(0);
	const [name, setName] = useState(() => amiNameFromPrefix(row.prefix));
	const [description, setDescription] = useState('');
	const [architecture, setArchitecture] = useState<Architecture>('x86_64');
	const [field, setField] = useState<Field>('name');
	const [submit, setSubmit] = useState<{kind: 'idle'} | {kind: 'working'} | {kind: 'failed'; error: unknown}>({
		kind: 'idle',
	});
	const live = useRef(true);
	useEffect(
		() => () => {
			live.current = false;
		},
		[],
	);

	// biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the check (enter after a failure)
	useEffect(() => {
		let current = true;
		setManifest({kind: 'checking'});
		services.readManifest(row.region, location).then(
			(summary) => {
				if (current) {
					setManifest({kind: 'ok', summary});
					if (summary.architecture) {
						setArchitecture(summary.architecture);
					}
				}
			},
			(error: unknown) => {
				if (current) {
					setManifest({kind: 'failed', error});
				}
			},
		);
		return () => {
			current = false;
		};
	}, [services, row.region, location, attempt]);

	const nameCheck = validateAmiName(name);
	const descriptionCheck = validateDescription(description);
	const ready = manifest.kind === 'ok' && nameCheck.ok && descriptionCheck.ok && submit.kind !== 'working';

	const register = useCallback(() => {
		setSubmit({kind: 'working'});
		services
			.registerImage({
				region: row.region,
				manifestLocation: location,
				name,
				description: description.length > 0 ? description : undefined,
				architecture,
			})
			.then(
				({imageId}) => {
					if (live.current) {
						onRegistered({imageId, region: row.region, name});
					}
				},
				(error: unknown) => {
					if (live.current) {
						setSubmit({kind: 'failed', error});
					}
				},
			);
	}, [services, row.region, location, name, description, architecture, onRegistered]);

	useStableInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				quit();
				return;
			}

			if (submit.kind === 'working') {
				return;
			}

			if (key.escape) {
				onClose();
				return;
			}

			if (key.tab || key.downArrow || key.upArrow) {
				const step = key.upArrow || (key.tab && key.shift) ? -1 : 1;
				setField((current) => fields[(fields.indexOf(current) + step + fields.length) % fields.length] ?? 'name');
				return;
			}

			if (key.return) {
				if (manifest.kind === 'failed') {
					setAttempt((value) => value + 1);
				} else if (ready) {
					register();
				}

				return;
			}

			if (field === 'architecture') {
				if (key.leftArrow || key.rightArrow || input === ' ') {
					setArchitecture((current) => (current === 'x86_64' ? 'i386' : 'x86_64'));
				}

				return;
			}

			const value = field === 'name' ? name : description;
			const next = editText(value, input, key);
			if (next !== undefined) {
				(field === 'name' ? setName : setDescription)(next);
				if (submit.kind === 'failed') {
					setSubmit({kind: 'idle'});
				}
			}
		},
		{textInput: () => field !== 'architecture' && submit.kind !== 'working'},
	);

	const manifestLine =
		manifest.kind === 'checking' ? (
			<SpinnerLine key="manifest" label={`Checking ${location}…`} />
		) : manifest.kind === 'failed' ? (
			<ErrorLine key="manifest" error={manifest.error} prefix="Manifest check failed" width={width} />
		) : (
			wrappedLines(
				`✓ ${location} · ${manifest.summary.partCount} parts${manifest.summary.architecture ? ` · ${manifest.summary.architecture}` : ''}`,
				{width, id: 'manifest'},
			)
		);
	return (
		<DialogFrame
			title={`Register an AMI from ${row.bundleId} in ${row.region}`}
			width={width}
			height={height}
			hint={
				manifest.kind === 'failed'
					? 'enter check again · esc close'
					: 'tab/↑↓ field · ←→ architecture · enter register · esc close'
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
				<Text bold>Architecture </Text>
				{field === 'architecture' ? '‹ ' : ''}
				<Text inverse={field === 'architecture'}>{architecture}</Text>
				{field === 'architecture' ? ' ›' : ''}
				<Text dimColor>
					{manifest.kind === 'ok' && manifest.summary.architecture ? ' (from the manifest)' : ' (default)'}
				</Text>
			</Text>
			{submit.kind === 'working' ? <SpinnerLine label={`Registering ${name}…`} /> : null}
			{submit.kind === 'failed' ? <ErrorLine error={submit.error} prefix="Register failed" width={width} /> : null}
		</DialogFrame>
	);
}
