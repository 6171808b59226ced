/** Injected faults (throttling, server errors, latency) for demos and tests of retry behaviour. */
import type {SandboxFaults} from './contracts.js';

export type FaultDecision = {latencyMs: number; failure: 'throttle' | 'server-error' | undefined};

function rate(value: number | undefined): number {
	return value === undefined || Number.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
}

function number(text: string | undefined): number | undefined {
	if (text === undefined || text.trim() === '') {
		return undefined;
	}

	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

/** BUNDLEDECK_SANDBOX_THROTTLE_RATE, _ERROR_RATE (0..1), _LATENCY_MS, _FAULT_ACTIONS (comma-separated). */
export function faultsFromEnv(env: NodeJS.ProcessEnv): SandboxFaults {
	const actions = env['BUNDLEDECK_SANDBOX_FAULT_ACTIONS']
		?.split(',')
		.map((action) => action.trim())
		.filter(Boolean);
	return {
		throttleRate: number(env['BUNDLEDECK_SANDBOX_THROTTLE_RATE']),
		serverErrorRate: number(env['BUNDLEDECK_SANDBOX_ERROR_RATE']),
		latencyMs: number(env['BUNDLEDECK_SANDBOX_LATENCY_MS']),
		actions: actions && actions.length > 0 ? actions : undefined,
	};
}

/** Options win over the environment, field by field. */
export function mergeFaults(fromEnv: SandboxFaults, fromOptions: SandboxFaults | undefined): SandboxFaults {
	return {
		throttleRate: fromOptions?.throttleRate ?? fromEnv.throttleRate,
		serverErrorRate: fromOptions?.serverErrorRate ?? fromEnv.serverErrorRate,
		latencyMs: fromOptions?.latencyMs ?? fromEnv.latencyMs,
		actions: fromOptions?.actions ?? fromEnv.actions,
	};
}

export class FaultInjector {
	private faults: SandboxFaults;
	private readonly random: () => number;

	constructor(faults: SandboxFaults, random: () => number = Math.random) {
		this.faults = faults;
		this.random = random;
	}

	set(faults: SandboxFaults): void {
		this.faults = faults;
	}

	decide(action: string): FaultDecision {
		const {actions, latencyMs, throttleRate, serverErrorRate} = this.faults;
		if (actions && !actions.includes(action)) {
			return {latencyMs: 0, failure: undefined};
		}

		const latency = Math.max(0, latencyMs ?? 0);
		if (this.random() < rate(throttleRate)) {
			return {latencyMs: latency, failure: 'throttle'};
		}

		if (this.random() < rate(serverErrorRate)) {
			return {latencyMs: latency, failure: 'server-error'};
		}

		return {latencyMs: latency, failure: undefined};
	}
}
