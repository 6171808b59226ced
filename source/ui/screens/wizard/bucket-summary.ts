import type {BucketChoice} from '../../state/wizard-reducer.js';

/** The chosen bucket in words: whose it is, where, and whether the wizard creates it. */
export function bucketSummary(bucket: BucketChoice, instanceRegion: string): string {
	if (bucket.status === 'missing') {
		return `${bucket.name} — new: will be created in ${instanceRegion} at start`;
	}

	return `${bucket.name} — yours, in ${bucket.region}`;
}

export function regionWarning(bucketRegion: string, instanceRegion: string): string {
	return `The bucket is in ${bucketRegion}, the instance in ${instanceRegion}: EC2 stores a bundle only in a bucket of the instance's region, so the task would fail (PermanentRedirect) — esc back and pick a bucket in ${instanceRegion}`;
}
