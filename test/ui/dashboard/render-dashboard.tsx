/** Renders the real Dashboard inside the app context, or the whole App, with a fast poll configuration. */
import {App} from '../../../source/app.js';
import type {History} from '../../../source/core/history.js';
import type {Services} from '../../../source/core/services.js';
import {taskKey} from '../../../source/core/task-model.js';
import {memorySettings, type Settings} from '../../../source/store/settings.js';
import {Dashboard} from '../../../source/ui/screens/dashboard/dashboard.js';
import {type DashboardConfig, DashboardConfigContext} from '../../../source/ui/state/dashboard-config.js';
import {type AppHarness, renderInApp} from '../../helpers/app.js';
import {type Rendered, renderTui} from '../../helpers/render.js';

export const fastConfig: DashboardConfig = {
	activeIntervalMs: 40,
	idleIntervalMs: 150,
	backoff: {baseMs: 100, maxMs: 400},
	clockMs: 200,
	historyCheckMs: 50,
};

export type DashboardHarness = AppHarness & {newBundleRequests: number};

export function renderDashboard(options: {
	services: Services;
	config?: Partial<DashboardConfig>;
	selectBundleId?: string;
	region?: string;
	columns?: number;
	rows?: number;
	historyDir?: string;
	settings?: Settings;
}): DashboardHarness {
	const counter = {newBundleRequests: 0};
	const config = {...fastConfig, ...options.config};
	const region = options.region ?? options.services.defaultRegion;
	const harness = renderInApp(
		<DashboardConfigContext.Provider value={config}>
			<Dashboard
				started={
					options.selectBundleId === undefined ? undefined : {region, key: taskKey(region, options.selectBundleId)}
				}
				onNewBundle={() => {
					counter.newBundleRequests++;
				}}
			/>
		</DashboardConfigContext.Provider>,
		{
			services: options.services,
			region: options.region,
			columns: options.columns,
			rows: options.rows,
			historyDir: options.historyDir,
			settings: options.settings,
		},
	);
	Object.defineProperty(harness, 'newBundleRequests', {get: () => counter.newBundleRequests});
	return harness as DashboardHarness;
}

/** The whole App (wizard and dashboard, as `npm start` runs them) in us-east-1, with the fast poll configuration. */
export function renderApp(options: {
	services: Services;
	history: History;
	initialScreen: 'wizard' | 'dashboard';
	settings?: Settings;
	columns?: number;
	rows?: number;
}): Rendered {
	return renderTui(
		<DashboardConfigContext.Provider value={fastConfig}>
			<App
				services={options.services}
				history={options.history}
				settings={options.settings ?? memorySettings()}
				initialRegion="us-east-1"
				initialScreen={options.initialScreen}
			/>
		</DashboardConfigContext.Provider>,
		{columns: options.columns, rows: options.rows},
	);
}
