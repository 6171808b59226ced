/** Where migrate copies to (a bundle or a stored AMI): --to-region and --to-bucket, asked for on a terminal. */
import {validateBucketName, validateRegion} from '../core/validation.js';
import {stringValue} from './args.js';
import type {CommandInput} from './command.js';
import {requireValue} from './prompt.js';

export async function requireMigrateDestination(input: CommandInput): Promise<{toRegion: string; toBucket: string}> {
	const toRegion = await requireValue(input.prompt, {
		flag: '--to-region',
		label: 'destination region',
		value: stringValue(input.parsed, 'to-region'),
		validate: validateRegion,
	});
	const toBucket = await requireValue(input.prompt, {
		flag: '--to-bucket',
		label: 'destination bucket',
		value: stringValue(input.parsed, 'to-bucket'),
		validate: validateBucketName,
	});
	return {toRegion, toBucket};
}
