/** The dashboard mode of the CLI: opens the session, renders <App/>, and closes everything on every way out. */
import {render} from 'ink';
import {enterAlternateScreen} from './alternate-screen.js';
import {App} from './app.js';
import {booleanValue, type ParsedCommand, sessionOptions} from './commands/args.js';
import {firstLine} from './core/app-error.js';
import {tuneV8ForDashboard} from './dashboard-v8-flags.js';
import {configDirectory, openSession} from './session.js';
import {openSettings} from './store/settings.js';

/** Runs the dashboard until the user quits; returns the exit code. `say` writes one line on stderr. */
export async function runDashboard(parsed: ParsedCommand, say: (line: string) => void): Promise<number> {
	tuneV8ForDashboard();
	let session: Awaited<ReturnType<typeof openSession>>;
	try {
		session = await openSession(sessionOptions(parsed.globals), process.env, {sandbox: 'service'});
	} catch (error) {
		say(firstLine(error));
		return 1;
	}

	// Ctrl+C is a key in raw mode (Ink handles it); kill, kill -INT or a closed terminal are signals, and each one
	// unmounts. The listeners stay until the process ends: conf's when-exit and Ink's signal-exit re-raise a signal
	// that no other listener handles once their own hooks are done, which would kill the process (exit 130) instead
	// of letting it end with 0 after the session is closed.
	let unmount: (() => void) | undefined;
	const stop = () => {
		unmount?.();
	};

	const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of stopSignals) {
		process.on(signal, stop);
	}

	let leaveAlternateScreen: (() => void) | undefined;
	try {
		const settings = openSettings({cwd: configDirectory()});
		const regionWasChosen = Boolean(
			parsed.globals.regions[0] ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'],
		);
		const initialRegion = regionWasChosen
			? session.services.defaultRegion
			: (settings.get('lastRegion') ?? session.services.defaultRegion);
		const notifications = booleanValue(parsed, 'no-notify') ? false : (settings.get('notifications') ?? true);
		if (session.notice) {
			say(session.notice);
		}

		if (session.history.warning) {
			say(session.history.warning);
		}

		// After the session's own lines (said above, on the normal screen, so they stay readable afterwards).
		if (!booleanValue(parsed, 'no-alt-screen')) {
			leaveAlternateScreen = enterAlternateScreen(process.stdout);
		}

		const instance = render(
			<App
				services={session.services}
				history={session.history}
				settings={settings}
				initialRegion={initialRegion}
				notifications={notifications}
			/>,
			{maxFps: 30, exitOnCtrlC: true, patchConsole: true},
		);
		unmount = () => {
			instance.unmount();
		};

		await instance.waitUntilExit();
		return 0;
	} catch (error) {
		// Back on the normal screen first, so the line stays readable.
		leaveAlternateScreen?.();
		say(firstLine(error));
		return 1;
	} finally {
		leaveAlternateScreen?.();
		await session.close();
		unmount = undefined;
	}
}
