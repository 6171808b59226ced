import type {BucketChoice} from '../../state/wizard-reducer.js';

/** The chosen bucket in words: whose it is, where, and whether the wizard creates it. */
export function bucketSummary(bucket: BucketChoice, instanceRegion: string): string {
	if (bucket.status === 'missing') {
		return `${bucket.name} — new: will be created in ${instanceRegion} at start`;
	}

	return `${bucket.name} — yours, in ${bucket.region}`;
}
