/** Providers + the screen switch (wizard | dashboard). The single place that exits. */
import {useApp, useStdout} from 'ink';
import {useCallback, useEffect, useMemo, useState} from 'react';
import type {History} from './core/history.js';
import {adoptedBundleNote} from './core/lost-answers.js';
import type {Services} from './core/services.js';
import {taskKey} from './core/task-model.js';
import type {AccountInfo, BundleTask} from './core/types.js';
import {type StoreChain, workKey} from './core/work-model.js';
import type {Settings} from './store/settings.js';
import {storeChainsOf} from './store/store-chains.js';
import {useRedraw} from './ui/hooks/use-redraw.js';
import {TerminalSizeRoot} from './ui/hooks/use-terminal-size.js';
import {Dashboard, type StartedTask} from './ui/screens/dashboard/dashboard.js';
import {Wizard} from './ui/screens/wizard/wizard.js';
import {AppContext, type AppContextValue} from './ui/state/app-context.js';

export type Screen = 'wizard' | 'dashboard';

export type AppProps = {
	services: Services;
	/** Also holds the image -> store chains (its store entries) the dashboard continues */
	history: History;
	settings: Settings;
	initialRegion: string;
	initialScreen?: Screen | undefined;
	/** Bell + OSC 9 when a task finishes (default on; --no-notify / settings turn it off). */
	notifications?: boolean | undefined;
};

export function App({services, history, settings, initialRegion, initialScreen, notifications = true}: AppProps) {
	const {exit} = useApp();
	const {write} = useStdout();
	const [screen, setScreen] = useState<Screen>(initialScreen ?? (history.list().length > 0 ? 'dashboard' : 'wizard'));
	const [region, setRegionState] = useState(initialRegion);
	const [chains] = useState(() => storeChainsOf(history));
	const [account, setAccount] = useState<AccountInfo | null | undefined>(undefined);
	const [started, setStarted] = useState<StartedTask | undefined>(undefined);
	useRedraw();

	useEffect(() => {
		let live = true;
		services.whoami().then(
			(info) => {
				if (live) {
					setAccount(info);
				}
			},
			() => {
				// The header says "account unknown"; the screens report credential problems where they matter.
				if (live) {
					setAccount(null);
				}
			},
		);
		return () => {
			live = false;
		};
	}, [services]);

	const setRegion = useCallback(
		(next: string) => {
			setRegionState(next);
			settings.set('lastRegion', next);
		},
		[settings],
	);

	const notify = useCallback(
		(message: string) => {
			if (!notifications) {
				return;
			}

			const safe = message.replaceAll(/[\u0000-\u001F\u007F]/g, ' ');
			write(`\u0007\u001B]9;bundledeck: ${safe}\u0007`);
		},
		[notifications, write],
	);

	const quit = useCallback(() => {
		exit();
	}, [exit]);

	const context = useMemo<AppContextValue>(
		() => ({services, history, chains, settings, account, region, setRegion, notify, quit}),
		[services, history, chains, settings, account, region, setRegion, notify, quit],
	);

	// The new row is selected on the dashboard and its region watched, whichever path started it
	const onStarted = useCallback((task: BundleTask, adopted?: boolean) => {
		setStarted({
			region: task.region,
			key: taskKey(task.region, task.bundleId),
			// As `bundle` says it: the task a lost answer had started is this one
			note: adopted ? `${task.bundleId}: ${adoptedBundleNote}.` : undefined,
		});
		setScreen('dashboard');
	}, []);
	const onChainStarted = useCallback((chain: StoreChain) => {
		setStarted({region: chain.region, key: workKey('store', chain.region, chain.imageId)});
		setScreen('dashboard');
	}, []);
	const onWizardCancel = useCallback(() => {
		setScreen('dashboard');
	}, []);
	const onNewBundle = useCallback(() => {
		// Back from the wizard without a new task, the dashboard is as it was left (its selection, not the task started
		// before, and no note said again)
		setStarted(undefined);
		setScreen('wizard');
	}, []);

	return (
		<AppContext.Provider value={context}>
			<TerminalSizeRoot>
				{screen === 'wizard' ? (
					<Wizard onStarted={onStarted} onChainStarted={onChainStarted} onCancel={onWizardCancel} />
				) : (
					<Dashboard started={started} onNewBundle={onNewBundle} />
				)}
			</TerminalSizeRoot>
		</AppContext.Provider>
	);
}
