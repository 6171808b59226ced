/** Reading EC2 Query parameters: scalars, lists (Name.N), filters (Filter.N.Name / Filter.N.Value.M). */
import {SandboxError} from '../contracts.js';

export type Filter = {name: string; values: string[]};

export function optional(params: URLSearchParams, name: string): string | undefined {
	return params.get(name) ?? undefined;
}

export function required(params: URLSearchParams, name: string): string {
	const value = params.get(name);
	if (value === null || value === '') {
		throw new SandboxError('MissingParameter', `The request must contain the parameter ${name}`);
	}

	return value;
}

export function bool(params: URLSearchParams, name: string): boolean {
	const value = params.get(name);
	if (value === null) {
		return false;
	}

	const lower = value.toLowerCase();
	if (lower === 'true') {
		return true;
	}

	if (lower === 'false') {
		return false;
	}

	throw new SandboxError(
		'InvalidParameterValue',
		`Value (${value}) for parameter ${name} is invalid. Expected 'true' or 'false'.`,
	);
}

export function integer(params: URLSearchParams, name: string): number | undefined {
	const value = params.get(name);
	if (value === null) {
		return undefined;
	}

	if (!/^-?\d{1,10}$/.test(value)) {
		throw new SandboxError(
			'InvalidParameterValue',
			`Value (${value}) for parameter ${name} is invalid. Expected an integer.`,
		);
	}

	return Number(value);
}

/** Values of Name.1, Name.2, ... in numeric order of N. */
export function list(params: URLSearchParams, name: string): string[] {
	const pattern = new RegExp(`^${name.replaceAll('.', '\\.')}\\.(\\d+)$`);
	const entries: Array<[number, string]> = [];
	for (const [key, value] of params) {
		const match = pattern.exec(key);
		if (match) {
			entries.push([Number(match[1]), value]);
		}
	}

	return entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

export function filters(params: URLSearchParams): Filter[] {
	const byIndex = new Map<number, {name: string | undefined; values: Array<[number, string]>}>();
	for (const [key, value] of params) {
		const match = /^Filter\.(\d+)\.(Name|Value\.(\d+))$/.exec(key);
		if (!match) {
			continue;
		}

		const index = Number(match[1]);
		const entry = byIndex.get(index) ?? {name: undefined, values: []};
		if (match[2] === 'Name') {
			entry.name = value;
		} else {
			entry.values.push([Number(match[3]), value]);
		}

		byIndex.set(index, entry);
	}

	return [...byIndex.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([index, entry]) => {
			if (entry.name === undefined || entry.name === '') {
				throw new SandboxError('InvalidParameterValue', `The filter Filter.${index} has no Name`);
			}

			return {name: entry.name, values: entry.values.sort((a, b) => a[0] - b[0]).map(([, value]) => value)};
		});
}

/** EC2 filter value matching: * matches any run of characters, ? one character; case-sensitive. */
export function matchesPattern(value: string, pattern: string): boolean {
	if (!pattern.includes('*') && !pattern.includes('?')) {
		return value === pattern;
	}

	let source = '';
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index]!;
		if (char === '\\' && index + 1 < pattern.length) {
			index++;
			source += pattern[index]!.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
		} else if (char === '*') {
			source += '[\\s\\S]*';
		} else if (char === '?') {
			source += '[\\s\\S]';
		} else {
			source += char.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
		}
	}

	return new RegExp(`^${source}$`).test(value);
}

/**
 * Applies filters to items. `fieldFor(filterName)` returns how to read an item's values for that filter, or
 * undefined when the filter is not supported (-> SandboxError with the given code).
 * An item matches when, for every filter, one of its values matches one of the filter's values.
 */
export function applyFilters<T>(
	items: T[],
	filterList: Filter[],
	fieldFor: (name: string) => ((item: T) => string[]) | undefined,
	unknownFilterCode: 'InvalidParameterValue' | 'InvalidFilter',
): T[] {
	const readers = filterList.map((filter) => {
		const read = fieldFor(filter.name);
		if (read === undefined) {
			throw new SandboxError(unknownFilterCode, `The filter '${filter.name}' is invalid`);
		}

		return {filter, read};
	});

	return items.filter((item) =>
		readers.every(({filter, read}) => {
			const values = read(item);
			return filter.values.some((pattern) => values.some((value) => matchesPattern(value, pattern)));
		}),
	);
}

/** Call after validation, before any side effect: DryRun=true -> 412 DryRunOperation. */
export function checkDryRun(params: URLSearchParams): void {
	if (bool(params, 'DryRun')) {
		throw new SandboxError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
	}
}

/** Opaque pagination tokens: base64url of the offset and a fingerprint of the request. */
export function encodeToken(offset: number, fingerprint: string): string {
	return Buffer.from(JSON.stringify({o: offset, f: fingerprint}), 'utf8').toString('base64url');
}

export function decodeToken(token: string, fingerprint: string): number {
	try {
		const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {o?: unknown; f?: unknown};
		if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0 && value.f === fingerprint) {
			return value.o;
		}
	} catch {}

	throw new SandboxError(
		'InvalidPaginationToken',
		`The pagination token '${token.slice(0, 64)}' is invalid or does not match the request`,
	);
}

/** MaxResults within [min, max], and never together with an id list (AWS refuses the combination). */
export function checkMaxResults(
	maxResults: number | undefined,
	ids: string[],
	limits: {idsName: string; min: number; max: number; name?: string},
): void {
	if (maxResults === undefined) {
		return;
	}

	const name = limits.name ?? 'maxResults';
	if (ids.length > 0) {
		throw new SandboxError(
			'InvalidParameterCombination',
			`The parameter ${limits.idsName} cannot be used with the parameter ${name}`,
		);
	}

	if (maxResults < limits.min || maxResults > limits.max) {
		throw new SandboxError(
			'InvalidParameterValue',
			`Value ( ${maxResults} ) for parameter ${name} is invalid. Expecting a value between ${limits.min} and ${limits.max}.`,
		);
	}
}

/** One page of items from the NextToken's offset, and the token of the next page (undefined on the last). */
export function pageOf<T>(
	items: T[],
	params: URLSearchParams,
	maxResults: number | undefined,
	fingerprint: string,
): {items: T[]; nextToken: string | undefined} {
	const token = optional(params, 'NextToken');
	const start = token === undefined ? 0 : decodeToken(token, fingerprint);
	const end = maxResults === undefined ? items.length : start + maxResults;
	return {items: items.slice(start, end), nextToken: end < items.length ? encodeToken(end, fingerprint) : undefined};
}
