/**
 * CreateTags, DeleteTags and DescribeTags for instances and images. Tags live on the records (persisted with the
 * world); an instance's Name tag is its name.
 */
import {SandboxError} from '../../contracts.js';
import type {ActionContext, ActionHandler} from '../action-context.js';
import {applyFilters, checkDryRun, filters, list} from '../params.js';
import type {ImageRecord, InstanceRecord} from '../world.js';
import {el, itemSet} from '../xml.js';

type Tagged = {type: 'instance'; id: string; record: InstanceRecord} | {type: 'image'; id: string; record: ImageRecord};

type TagRow = {resourceId: string; resourceType: 'instance' | 'image'; key: string; value: string};

/** Instances keep tags as a map, images as the Tag list their TagSpecification gave: one view for both. */
function currentTags(target: Tagged): Record<string, string> {
	return target.type === 'instance'
		? {...target.record.tags}
		: Object.fromEntries((target.record.tags ?? []).map((tag) => [tag.key, tag.value]));
}

function replaceTags(target: Tagged, tags: Record<string, string>): void {
	if (target.type === 'instance') {
		target.record.tags = tags;
	} else {
		target.record.tags = Object.entries(tags).map(([key, value]) => ({key, value}));
	}
}

/** An instance's tags: its Name, then the rest. */
export function instanceTags(instance: InstanceRecord): Record<string, string> {
	return {Name: instance.name, ...instance.tags};
}

function resource(context: ActionContext, accountId: string, region: string, id: string): Tagged {
	if (id.startsWith('i-')) {
		const record = context.world.instance(accountId, region, id);
		if (record) {
			return {type: 'instance', id, record};
		}

		throw new SandboxError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
	}

	if (id.startsWith('ami-')) {
		const record = context.world.image(accountId, region, id);
		if (record) {
			return {type: 'image', id, record};
		}

		throw new SandboxError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
	}

	throw new SandboxError(
		'InvalidID',
		`The ID '${id}' is not valid: the sandbox tags instances (i-) and images (ami-).`,
	);
}

function tagParams(params: URLSearchParams): Array<{key: string; value: string | undefined}> {
	const tags: Array<{key: string; value: string | undefined}> = [];
	for (let index = 1; params.has(`Tag.${index}.Key`); index++) {
		const key = params.get(`Tag.${index}.Key`) ?? '';
		if (key === '' || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
			throw new SandboxError('InvalidParameterValue', `Tag key '${key.slice(0, 130)}' is not valid.`);
		}

		const value = params.get(`Tag.${index}.Value`) ?? undefined;
		if (value !== undefined && value.length > 256) {
			throw new SandboxError('InvalidParameterValue', `The value of tag '${key}' is longer than 256 characters.`);
		}

		tags.push({key, value});
	}

	return tags;
}

function resources(request: Parameters<ActionHandler>[0], context: ActionContext): Tagged[] {
	const ids = list(request.params, 'ResourceId');
	if (ids.length === 0) {
		throw new SandboxError('MissingParameter', 'The request must contain the parameter ResourceId');
	}

	return ids.map((id) => resource(context, request.account.id, request.region, id));
}

export const createTags: ActionHandler = (request, context) => {
	const targets = resources(request, context);
	const tags = tagParams(request.params);
	if (tags.length === 0) {
		throw new SandboxError('MissingParameter', 'The request must contain the parameter Tag');
	}

	checkDryRun(request.params);
	for (const target of targets) {
		const current = currentTags(target);
		for (const {key, value} of tags) {
			if (target.type === 'instance' && key === 'Name') {
				target.record.name = value ?? '';
			} else {
				current[key] = value ?? '';
			}
		}

		replaceTags(target, current);
	}

	context.world.scheduleSave();
	return el('return', true);
};

export const deleteTags: ActionHandler = (request, context) => {
	const targets = resources(request, context);
	const tags = tagParams(request.params);
	checkDryRun(request.params);
	for (const target of targets) {
		const remaining = currentTags(target);
		for (const key of tags.length === 0 ? Object.keys(remaining) : tags.map((tag) => tag.key)) {
			const expected = tags.find((tag) => tag.key === key)?.value;
			if (expected === undefined || remaining[key] === expected) {
				delete remaining[key];
			}
		}

		replaceTags(target, remaining);
	}

	context.world.scheduleSave();
	return el('return', true);
};

export const describeTags: ActionHandler = ({params, account, region}, context) => {
	const rows: TagRow[] = [
		...context.world.instances(account.id, region).flatMap((instance) =>
			Object.entries(instanceTags(instance)).map(([key, value]) => ({
				resourceId: instance.id,
				resourceType: 'instance' as const,
				key,
				value,
			})),
		),
		...context.world.images(account.id, region).flatMap((image) =>
			(image.tags ?? []).map(({key, value}) => ({
				resourceId: image.imageId,
				resourceType: 'image' as const,
				key,
				value,
			})),
		),
	];
	const selected = applyFilters(
		rows,
		filters(params),
		(filter) => {
			switch (filter) {
				case 'resource-id': {
					return (row: TagRow) => [row.resourceId];
				}

				case 'resource-type': {
					return (row: TagRow) => [row.resourceType];
				}

				case 'key': {
					return (row: TagRow) => [row.key];
				}

				case 'value': {
					return (row: TagRow) => [row.value];
				}

				default: {
					return undefined;
				}
			}
		},
		'InvalidParameterValue',
	);
	checkDryRun(params);
	return itemSet(
		'tagSet',
		selected.map(
			(row) =>
				el('resourceId', row.resourceId) +
				el('resourceType', row.resourceType) +
				el('key', row.key) +
				el('value', row.value),
		),
	);
};
