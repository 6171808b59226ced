// PLACEHOLDER until issue 6 (dashboard) lands: says so on screen.
import {Box, Text, useInput} from 'ink';
import {Header} from '../../components/header.js';
import {KeyFooter} from '../../components/key-footer.js';
import {useAppContext} from '../../state/app-context.js';

export type DashboardProps = {selectBundleId: string | undefined; onNewBundle(): void};

export function Dashboard({onNewBundle}: DashboardProps) {
	const {services, account, region, quit} = useAppContext();
	useInput((input) => {
		if (input === 'q') {
			quit();
		} else if (input === 'n') {
			onNewBundle();
		}
	});
	return (
		<Box flexDirection="column">
			<Header title="bundle tasks" account={account} region={region} mode={services.mode} />
			<Text>The live dashboard is not built yet (issue 6).</Text>
			<KeyFooter
				keys={[
					{key: 'n', label: 'new bundle'},
					{key: 'q', label: 'quit'},
				]}
			/>
		</Box>
	);
}
