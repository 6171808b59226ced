/**
 * Background work that ends a pending image (registration, CreateImage, restore, copy): the work runs, then after
 * stepDelayMs the image, if still registered and pending, becomes available; a failure fails it with a reason.
 * close() stops every job: their images stay pending and resume at the next start.
 */
import {pause} from '../../core/timers.js';
import type {SandboxPace} from '../contracts.js';
import type {ImageRecord, World} from './world.js';

/** Why the image failed; may also mark what failed with it (its snapshots), saved with the image. */
export type ImageFailure = (image: ImageRecord, error: unknown) => {code: string; message: string};

export class PendingImageJobs {
	private readonly world: World;
	private readonly pace: SandboxPace;
	private readonly failure: ImageFailure;
	private readonly controller = new AbortController();
	private readonly jobs = new Set<Promise<void>>();

	constructor(context: {world: World; pace: SandboxPace; failure: ImageFailure}) {
		this.world = context.world;
		this.pace = context.pace;
		this.failure = context.failure;
	}

	/** Fires on close(): work in progress stops and leaves its image pending. */
	get signal(): AbortSignal {
		return this.controller.signal;
	}

	start(image: ImageRecord, work: () => Promise<void>): void {
		const job = this.settle(image, work);
		this.jobs.add(job);
		void job.finally(() => this.jobs.delete(job));
	}

	async close(): Promise<void> {
		this.controller.abort();
		await Promise.allSettled([...this.jobs]);
	}

	private async settle(image: ImageRecord, work: () => Promise<void>): Promise<void> {
		const {signal} = this.controller;
		try {
			await work();
			await pause(this.pace.stepDelayMs, signal);
			if (this.world.state.images.includes(image) && image.state === 'pending') {
				image.state = 'available';
				await this.world.flush();
			}
		} catch (error) {
			if (signal.aborted) {
				return; // Shutting down: the image stays pending and resumes at the next start
			}

			const reason = this.failure(image, error);
			if (this.world.state.images.includes(image)) {
				image.state = 'failed';
				image.stateReason = reason;
			}

			await this.world.flush().catch(() => undefined);
		}
	}
}
