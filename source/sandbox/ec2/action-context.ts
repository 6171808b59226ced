/** What every EC2 action handler receives. */
import type {Ec2Request, ObjectStore, ObjectStreamOpener, SandboxAccount, SandboxPace} from '../contracts.js';
import type {Bundler} from './bundler.js';
import type {EbsJobs} from './ebs-jobs.js';
import type {ImageJobs} from './image-jobs.js';
import type {StoreRunner} from './store-runner.js';
import type {World} from './world.js';

export type ActionContext = {
	world: World;
	objects: ObjectStore;
	bundler: Bundler;
	imageJobs: ImageJobs;
	ebsJobs: EbsJobs;
	storeRunner: StoreRunner;
	openObjectStream: ObjectStreamOpener;
	/** The sandbox's data directory (snapshot files live under <dir>/ec2/snapshots) */
	dir: string;
	pace: SandboxPace;
	accounts: SandboxAccount[];
	/** How long a finished bundle task stays listed (ms) */
	finishedTaskRetentionMs: number;
};

/** Returns the response body (inside <ActionResponse>, after requestId). */
export type ActionHandler = (request: Ec2Request, context: ActionContext) => Promise<string> | string;
