/** What every EC2 action handler receives. */
import type {Ec2Request, ObjectStore, SandboxAccount, SandboxPace} from '../contracts.js';
import type {Bundler} from './bundler.js';
import type {ImageJobs} from './image-jobs.js';
import type {World} from './world.js';

export type ActionContext = {
	world: World;
	objects: ObjectStore;
	bundler: Bundler;
	imageJobs: ImageJobs;
	pace: SandboxPace;
	accounts: SandboxAccount[];
};

/** Returns the response body (inside <ActionResponse>, after requestId). */
export type ActionHandler = (request: Ec2Request, context: ActionContext) => Promise<string> | string;
