/**
 * The image -> store chains bundledeck started (CreateImage, then CreateStoreImageTask), kept next to the history
 * file (<history name>-chains.json, mode 0600) so that a rerun of `store` or the dashboard continues a chain after
 * an interruption. Ids, names, regions, bucket and times only; never secrets.
 */
import fs from 'node:fs';
import Conf from 'conf';
import type {StoreChain} from '../core/work-model.js';
import type {OpenHistoryOptions} from './history.js';

type Shape = {version: number; chains: StoreChain[]};

export type StoreChains = {
	list(): StoreChain[];
	find(region: string, imageId: string): StoreChain | undefined;
	/** Adds or replaces (by region + AMI id). */
	save(chain: StoreChain): void;
};

function isChain(value: unknown): value is StoreChain {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const chain = value as Record<string, unknown>;
	return ['region', 'imageId', 'name', 'bucket', 'startedAt'].every((key) => typeof chain[key] === 'string');
}

/** Chains kept in memory only (tests, or an App rendered without a session). */
export function memoryStoreChains(): StoreChains {
	let chains: StoreChain[] = [];
	return {
		list: () => chains,
		find: (region, imageId) => chains.find((chain) => chain.region === region && chain.imageId === imageId),
		save(chain) {
			chains = [
				...chains.filter((other) => !(other.region === chain.region && other.imageId === chain.imageId)),
				chain,
			];
		},
	};
}

export function openStoreChains(location: OpenHistoryOptions): StoreChains {
	const name = `${location.name}-chains`;
	let conf: Conf<Shape> | undefined;
	let memory: StoreChain[] = [];
	try {
		fs.mkdirSync(location.cwd, {recursive: true, mode: 0o700});
		conf = new Conf<Shape>({
			cwd: location.cwd,
			configName: name,
			configFileMode: 0o600,
			accessPropertiesByDotNotation: false,
			clearInvalidConfig: true,
		});
	} catch {
		// Unusable file: chains live in memory for this run (a rerun then cannot continue them)
		conf = undefined;
	}

	const read = (): StoreChain[] => {
		if (!conf) {
			return memory;
		}

		const chains = conf.get('chains');
		return Array.isArray(chains) ? chains.filter((chain) => isChain(chain)) : [];
	};

	return {
		list: read,
		find(region, imageId) {
			return read().find((chain) => chain.region === region && chain.imageId === imageId);
		},
		save(chain) {
			const next = [
				...read().filter((other) => !(other.region === chain.region && other.imageId === chain.imageId)),
				chain,
			];
			if (conf) {
				conf.set('chains', next);
				conf.set('version', 1);
			} else {
				memory = next;
			}
		},
	};
}
