/** TagSpecification.N (ResourceType + Tag.M.Key/Value) and S3ObjectTag.N (Key/Value) parameters. */
import {SandboxError} from '../contracts.js';
import type {Tag} from './world.js';
import {el, itemSet} from './xml.js';

function tagsUnder(params: URLSearchParams, prefix: string): Tag[] {
	const byIndex = new Map<number, {key?: string; value?: string}>();
	const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}(\\d+)\\.(Key|Value)$`);
	for (const [name, value] of params) {
		const match = pattern.exec(name);
		if (match) {
			const entry = byIndex.get(Number(match[1])) ?? {};
			entry[match[2] === 'Key' ? 'key' : 'value'] = value;
			byIndex.set(Number(match[1]), entry);
		}
	}

	return [...byIndex.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([index, entry]) => {
			if (!entry.key) {
				throw new SandboxError('InvalidParameterValue', `Tag ${prefix}${index} has no Key`);
			}

			if (entry.key.length > 128 || (entry.value ?? '').length > 256) {
				throw new SandboxError('InvalidParameterValue', `Tag ${entry.key.slice(0, 40)} is too long`);
			}

			return {key: entry.key, value: entry.value ?? ''};
		});
}

/** The tags a TagSpecification gives resources of `resourceType` (image, snapshot). */
export function specifiedTags(params: URLSearchParams, resourceType: string, allowed: string[]): Tag[] {
	const tags: Tag[] = [];
	for (const [name, value] of params) {
		const match = /^TagSpecification\.(\d+)\.ResourceType$/.exec(name);
		if (!match) {
			continue;
		}

		if (!allowed.includes(value)) {
			throw new SandboxError(
				'InvalidParameterValue',
				`'${value.slice(0, 40)}' is not a valid taggable resource type for this operation (${allowed.join(', ')}).`,
			);
		}

		if (value === resourceType) {
			tags.push(...tagsUnder(params, `TagSpecification.${match[1]}.Tag.`));
		}
	}

	return tags;
}

export function objectTags(params: URLSearchParams): Tag[] {
	return tagsUnder(params, 'S3ObjectTag.');
}

export function tagSetXml(tags: Tag[] | undefined): string {
	return itemSet(
		'tagSet',
		(tags ?? []).map((tag) => el('key', tag.key) + el('value', tag.value)),
	);
}

/** Filter readers shared by images and snapshots: tag:K, tag-key, tag-value. */
export function tagField<T>(name: string, tagsOf: (item: T) => Tag[] | undefined): ((item: T) => string[]) | undefined {
	if (name.startsWith('tag:')) {
		const key = name.slice(4);
		return (item) => (tagsOf(item) ?? []).filter((tag) => tag.key === key).map((tag) => tag.value);
	}

	if (name === 'tag-key') {
		return (item) => (tagsOf(item) ?? []).map((tag) => tag.key);
	}

	if (name === 'tag-value') {
		return (item) => (tagsOf(item) ?? []).map((tag) => tag.value);
	}

	return undefined;
}
