/**
 * The bundle wizard: instance -> bucket -> prefix -> confirm, then BundleInstance. State lives in the wizard reducer;
 * one stable input handler feeds it keys; use-wizard-calls runs the services calls the state asks for.
 */
import {Box, type Key, Text, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useReducer} from 'react';
import type {BundleTask} from '../../../core/types.js';
import type {StoreChain} from '../../../core/work-model.js';
import {Header} from '../../components/header.js';
import {HelpOverlay} from '../../components/help-overlay.js';
import {KeyFooter} from '../../components/key-footer.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {useAppContext} from '../../state/app-context.js';
import {
	fromImage,
	initialWizardState,
	type Step,
	type WizardState,
	wizardPath,
	wizardReducer,
	wizardSteps,
} from '../../state/wizard-reducer.js';
import {AmiNameStep} from './ami-name-step.js';
import {BucketStep} from './bucket-step.js';
import {ConfirmStep} from './confirm-step.js';
import {InstanceStep} from './instance-step.js';
import {PrefixStep} from './prefix-step.js';
import {useWizardCalls} from './use-wizard-calls.js';
import {footerKeys, wizardHelpKeys} from './wizard-keys.js';

export type WizardProps = {
	/** adopted: BundleInstance's answer was lost and the retry found the task the first call started */
	onStarted(task: BundleTask, adopted?: boolean): void;
	/** Image -> S3 began: the chain is saved, the dashboard follows it. */
	onChainStarted?: ((chain: StoreChain) => void) | undefined;
	onCancel(): void;
};

function chosenValue(state: WizardState, step: Step): string | undefined {
	switch (step) {
		case 'instance': {
			return state.image
				? state.image.imageId
				: state.instance
					? (state.instance.name ?? state.instance.id)
					: undefined;
		}

		case 'bucket': {
			return state.bucket?.name;
		}

		case 'prefix': {
			return (wizardPath(state) === 'store' ? state.amiName : state.prefix) || undefined;
		}

		case 'confirm': {
			return undefined;
		}
	}
}

/** The breadcrumb's labels: the values chosen so far, left out from the first step on until the line fits `width`. */
export function breadcrumbLabels(state: WizardState, width: number): string[] {
	const steps = wizardSteps(state);
	const current = steps.indexOf(state.step);
	// Image -> S3: step 3 names the AMI CreateImage makes
	const stepName = (step: Step) => {
		if (step === 'instance' && fromImage(state)) {
			return 'AMI';
		}

		return step === 'prefix' && wizardPath(state) === 'store' ? 'AMI name' : step;
	};
	const label = (step: Step, index: number, withValue: boolean) => {
		const value = withValue && index < current ? chosenValue(state, step) : undefined;
		const text = `${index + 1} ${stepName(step)}${value ? ` ${value}` : ''}`;
		return index < current ? `✓ ${text}` : text;
	};

	for (let dropped = 0; dropped <= current; dropped++) {
		const labels = steps.map((step, index) => label(step, index, index >= dropped));
		if ([...labels.join(' › ')].length <= width) {
			return labels;
		}
	}

	return steps.map((step, index) => label(step, index, false));
}

/** "✓ 1 instance web01 › 2 bucket › 3 prefix › 4 confirm": where you are and what you chose so far, on one line. */
function Breadcrumb({state, width}: {state: WizardState; width: number}) {
	const steps = wizardSteps(state);
	const current = steps.indexOf(state.step);
	const labels = breadcrumbLabels(state, width);
	return (
		<Text wrap="truncate-end">
			{steps.map((step, index) => (
				<Text key={step}>
					{index > 0 ? <Text dimColor> › </Text> : null}
					{index === current ? (
						<Text bold underline>
							{labels[index]}
						</Text>
					) : (
						<Text dimColor={index > current}>{labels[index]}</Text>
					)}
				</Text>
			))}
		</Text>
	);
}

/** What the wizard makes: both paths are open in step 1, then the chosen one. */
function headerTitle(state: WizardState): string {
	if (fromImage(state) || (state.step !== 'instance' && wizardPath(state) === 'store')) {
		return 'image → S3';
	}

	return state.step === 'instance' ? 'into S3' : 'new bundle';
}

export function Wizard({onStarted, onChainStarted, onCancel}: WizardProps) {
	const {services, account, region, settings} = useAppContext();
	const [state, dispatch] = useReducer(
		wizardReducer,
		{region, prefixPattern: settings.get('prefixPattern'), lastBucket: settings.get('lastBucket')},
		initialWizardState,
	);
	useWizardCalls(state, dispatch, {onStarted, onChainStarted, onCancel});

	const {isRawModeSupported} = useStdin();
	const onKey = useCallback((input: string, key: Key) => {
		dispatch({type: 'key', input, key, now: Date.now()});
	}, []);
	useInput(onKey, {isActive: isRawModeSupported});

	const {columns, rows} = useTerminalSize();
	// Header, breadcrumb and footer take a line each (no breadcrumb on tiny terminals); the frame stays at least one
	// line shorter than the terminal.
	const breadcrumb = rows >= 10;
	const bodyHeight = Math.max(1, rows - 1 - (breadcrumb ? 3 : 2));
	// A page of the instance list (its title, heading and scroll lines aside).
	const page = Math.max(1, bodyHeight - 4);
	useEffect(() => {
		dispatch({type: 'layout', page});
	}, [page]);
	let body: React.ReactNode;
	if (state.help) {
		body = <HelpOverlay title="Bundle wizard — keys" keys={wizardHelpKeys} maxLines={bodyHeight} />;
	} else {
		switch (state.step) {
			case 'instance': {
				body = <InstanceStep state={state} width={columns} height={bodyHeight} />;
				break;
			}

			case 'bucket': {
				body = <BucketStep state={state} width={columns} height={bodyHeight} />;
				break;
			}

			case 'prefix': {
				body =
					wizardPath(state) === 'store' ? (
						<AmiNameStep state={state} width={columns} />
					) : (
						<PrefixStep state={state} width={columns} />
					);
				break;
			}

			case 'confirm': {
				body = <ConfirmStep state={state} width={columns} height={bodyHeight} />;
				break;
			}
		}
	}

	return (
		<Box flexDirection="column" width={columns}>
			<Header title={headerTitle(state)} account={account} region={region} mode={services.mode} width={columns} />
			{breadcrumb ? <Breadcrumb state={state} width={columns} /> : null}
			<Box flexDirection="column" height={bodyHeight} overflow="hidden">
				{body}
			</Box>
			<KeyFooter keys={footerKeys(state)} width={columns} />
		</Box>
	);
}
