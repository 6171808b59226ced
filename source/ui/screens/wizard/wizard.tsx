// PLACEHOLDER until issue 5 (wizard) lands: says so on screen.
import {Box, Text, useInput} from 'ink';
import type {BundleTask} from '../../../core/types.js';
import {Header} from '../../components/header.js';
import {KeyFooter} from '../../components/key-footer.js';
import {useAppContext} from '../../state/app-context.js';

export type WizardProps = {onStarted(task: BundleTask): void; onCancel(): void};

export function Wizard({onCancel}: WizardProps) {
	const {services, account, region, quit} = useAppContext();
	useInput((input, key) => {
		if (input === 'q') {
			quit();
		} else if (key.escape) {
			onCancel();
		}
	});
	return (
		<Box flexDirection="column">
			<Header title="new bundle" account={account} region={region} mode={services.mode} />
			<Text>The bundle wizard is not built yet (issue 5).</Text>
			<KeyFooter
				keys={[
					{key: 'esc', label: 'dashboard'},
					{key: 'q', label: 'quit'},
				]}
			/>
		</Box>
	);
}
