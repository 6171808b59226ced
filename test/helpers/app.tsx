/** Renders a screen inside the AppContext the real App provides, with real services and a temp history. */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {type ReactElement, useState} from 'react';
import type {History} from '../../source/core/history.js';
import type {Services} from '../../source/core/services.js';
import {openHistory} from '../../source/store/history.js';
import {memorySettings, type Settings} from '../../source/store/settings.js';
import {type StoreChains, storeChainsOf} from '../../source/store/store-chains.js';
import {AppContext} from '../../source/ui/state/app-context.js';
import {type Rendered, renderTui} from './render.js';

type ProviderBase = {
	services: Services;
	history: History;
	chains: StoreChains;
	settings: Settings;
	harness: {quits: number; notifications: string[]};
};

function TestProvider({
	base,
	initialRegion,
	children,
}: {
	base: ProviderBase;
	initialRegion: string;
	children: ReactElement;
}) {
	const [region, setRegion] = useState(initialRegion);
	const {services, history, chains, settings, harness} = base;
	return (
		<AppContext.Provider
			value={{
				services,
				history,
				chains,
				settings,
				account: {accountId: '000000000000', arn: undefined, profile: undefined, mode: services.mode},
				region,
				setRegion,
				notify(message) {
					harness.notifications.push(message);
				},
				quit() {
					harness.quits++;
				},
			}}
		>
			{children}
		</AppContext.Provider>
	);
}

export type AppHarness = Rendered & {
	history: History;
	chains: StoreChains;
	settings: Settings;
	quits: number;
	notifications: string[];
	cleanup(): void;
};

export function renderInApp(
	tree: ReactElement,
	options: {
		services: Services;
		region?: string;
		settings?: Settings;
		historyDir?: string;
		columns?: number;
		rows?: number;
	},
): AppHarness {
	const dir = options.historyDir ?? mkdtempSync(path.join(tmpdir(), 'bundledeck-ui-'));
	const history = openHistory({cwd: dir, name: 'history'});
	const settings = options.settings ?? memorySettings();
	const harness = {quits: 0, notifications: [] as string[]};
	const chains = storeChainsOf(history);
	const base = {services: options.services, history, chains, settings, harness};
	const rendered = renderTui(
		<TestProvider base={base} initialRegion={options.region ?? options.services.defaultRegion}>
			{tree}
		</TestProvider>,
		{columns: options.columns, rows: options.rows},
	);
	// Copied as descriptors: the getters (quits, size) must stay live.
	const extra = {
		history,
		chains,
		settings,
		get quits() {
			return harness.quits;
		},
		notifications: harness.notifications,
		cleanup() {
			rendered.unmount();
			if (!options.historyDir) {
				rmSync(dir, {recursive: true, force: true});
			}
		},
	};
	return Object.defineProperties(rendered, Object.getOwnPropertyDescriptors(extra)) as AppHarness;
}
