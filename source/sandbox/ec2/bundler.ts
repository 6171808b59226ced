/**
 * Runs bundle tasks for real:
 *   pending (bucket checked, created in the task's region when missing)
 *   -> waiting-for-shutdown (instance stopping -> stopped, stepDelayMs)
 *   -> bundling (image -> tar stream of one file named like the prefix -> SHA1 -> gzip -> AES-128-CBC -> 10 MiB
 *      part files in <dir>/ec2/work/<bundleId>, paced at bytesPerSecond)
 *   -> storing (each part uploaded through the S3 POST path with the caller's policy, signature and access key id,
 *      acl ec2-bundle-read, paced; then <prefix>.manifest.xml)
 *   -> instance restarted (pending -> running) -> complete (100%).
 * Progress is one monotonic integer over the whole task, by bytes of work: tar stream bytes read while bundling plus
 * bundle bytes uploaded while storing, over (image size + bundle size; estimated until bundling ends). Both phases
 * run at the same pace, so progress grows about linearly with time; it stays below 100% until complete.
 * Failure or cancel: uploaded parts are removed, the instance is restarted, the task ends in `failed` with an error.
 * Memory stays bounded: the image is streamed with backpressure; only one part (10 MiB) is read back at a time.
 *
 * Restart behaviour (recover(), at every start): a task that was in flight when the sandbox stopped (pending,
 * waiting-for-shutdown, bundling or storing) runs again from the beginning with the upload policy, signature and
 * access key id BundleInstance stored with it: the parts it had uploaded (and any it uploaded after the last save)
 * are removed, its work files too, progress restarts at 0 and it goes through every state again (the instance stops
 * again) to complete normally. A policy that has expired by then makes S3 refuse the first part, and the task fails
 * with that AccessDenied reason like any run. A task that was cancelling ends failed (Client.Cancelled). A task that
 * cannot run again (stored without its policy by an older sandbox, its instance, account or bucket gone) fails with
 * Server.Interrupted and a message that says why. Nothing hangs.
 */
import {createCipheriv, createHash, randomBytes} from 'node:crypto';
import {mkdir, open, rm} from 'node:fs/promises';
import path from 'node:path';
import {Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import {buildManifest, partFileName} from '../../core/manifest.js';
import {pause} from '../../core/timers.js';
import {bundleAcl} from '../../core/upload-policy.js';
import {type ObjectStore, type SandboxAccount, SandboxError, type SandboxPace} from '../contracts.js';
import {createDiskImage} from './disk-image.js';
import {encryptForManifest, type SandboxKeys, signManifestText} from './keys.js';
import {Pacer} from './pacer.js';
import {bundlePartSize, PartWriter, type WrittenPart} from './part-writer.js';
import {tarSize, tarStream} from './tar-stream.js';
import type {InstanceRecord, TaskRecord, World} from './world.js';

/** What the parts are uploaded with; comes from the task record (never logged). */
type BundleCredentials = {
	/** base64 policy document, exactly as EC2 received it */
	policy: string;
	signature: string;
	awsAccessKeyId: string;
};

function credentialsOf(task: TaskRecord): BundleCredentials | undefined {
	if (!task.uploadPolicy || !task.uploadPolicySignature || !task.awsAccessKeyId) {
		return undefined;
	}

	return {policy: task.uploadPolicy, signature: task.uploadPolicySignature, awsAccessKeyId: task.awsAccessKeyId};
}

function escapeRegExp(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}

export type BundlerContext = {
	dir: string;
	world: World;
	objects: ObjectStore;
	pace: SandboxPace;
	accounts: SandboxAccount[];
	keys: () => Promise<SandboxKeys>;
};

const sliceSize = 1024 * 1024;

type StopReason = 'cancel' | 'shutdown';

class TaskFailure extends Error {
	readonly code: string;

	constructor(code: string, message: string) {
		super(message);
		this.code = code;
	}
}

export function cancelledError(): {code: string; message: string} {
	return {code: 'Client.Cancelled', message: 'The bundle task was cancelled by the user (CancelBundleTask).'};
}

function notResumable(task: TaskRecord, reason: string): {code: string; message: string} {
	return {
		code: 'Server.Interrupted',
		message: `The sandbox stopped while the task was ${task.state} and it cannot resume: ${reason}; nothing was kept in S3. Start the bundle again.`,
	};
}

async function readPart(part: WrittenPart, buffer: Buffer): Promise<Buffer> {
	const handle = await open(part.file, 'r');
	try {
		let filled = 0;
		while (filled < part.size) {
			const {bytesRead} = await handle.read(buffer, filled, part.size - filled, filled);
			if (bytesRead === 0) {
				throw new Error(`part file ${path.basename(part.file)} is shorter than expected`);
			}

			filled += bytesRead;
		}
	} finally {
		await handle.close();
	}

	return buffer.subarray(0, part.size);
}

export class Bundler {
	private readonly context: BundlerContext;
	private readonly running = new Map<string, {controller: AbortController; done: Promise<void>}>();

	constructor(context: BundlerContext) {
		this.context = context;
	}

	get workRoot(): string {
		return path.join(this.context.dir, 'ec2', 'work');
	}

	isRunning(bundleId: string): boolean {
		return this.running.has(bundleId);
	}

	/** Runs the task's pipeline from the beginning with the credentials stored in it. */
	start(task: TaskRecord): void {
		const controller = new AbortController();
		const done = this.run(task, controller.signal).finally(() => {
			this.running.delete(task.bundleId);
		});
		this.running.set(task.bundleId, {controller, done});
	}

	/** Moves the task to cancelling at once; the run removes what it stored, restarts the instance, then fails it. */
	cancel(task: TaskRecord): void {
		this.update(task, {state: 'cancelling'});
		const run = this.running.get(task.bundleId);
		if (run) {
			run.controller.abort('cancel' satisfies StopReason);
		} else {
			// No run in this process (should not happen after recovery): finish the cancel here
			void this.finishStopped(task, cancelledError(), new AbortController().signal).catch(() => undefined);
		}
	}

	/**
	 * At startup: runs again the tasks that were in flight when the sandbox last stopped (from the beginning, after
	 * removing what they had stored), finishes the cancels, and fails cleanly, saying why, the ones that cannot run.
	 */
	async recover(): Promise<void> {
		const {world} = this.context;
		await rm(this.workRoot, {recursive: true, force: true});
		const resumed: TaskRecord[] = [];
		for (const task of world.state.tasks) {
			if (task.state === 'complete' || task.state === 'failed') {
				// Finished: the upload policy is not needed any more (files from older versions may still hold it)
				task.uploadPolicy = undefined;
				task.uploadPolicySignature = undefined;
				continue;
			}

			const failure = task.state === 'cancelling' ? cancelledError() : this.resumeObstacle(task);
			await this.removeUploads(task, {sweep: true});
			if (failure) {
				const instance = world.instance(task.accountId, task.region, task.instanceId);
				if (instance && instance.state !== 'running') {
					instance.state = 'running';
				}

				this.update(task, {state: 'failed', error: failure});
				continue;
			}

			this.update(task, {state: 'pending', progress: 0, error: undefined});
			resumed.push(task);
		}

		await world.flush();
		for (const task of resumed) {
			this.start(task);
		}
	}

	/** Stops every run (their state stays as persisted, for recover() at the next start). */
	async close(): Promise<void> {
		const runs = [...this.running.values()];
		for (const run of runs) {
			run.controller.abort('shutdown' satisfies StopReason);
		}

		await Promise.allSettled(runs.map(async (run) => run.done));
	}

	private update(task: TaskRecord, changes: Partial<TaskRecord>): void {
		Object.assign(task, changes, {updateTime: new Date().toISOString()});
		if (changes.state === 'complete' || changes.state === 'failed') {
			// Only a task in flight may need its signed policy again (to resume after a restart)
			task.uploadPolicy = undefined;
			task.uploadPolicySignature = undefined;
		}

		if (changes.state) {
			void this.context.world.flush().catch(() => undefined);
		} else {
			this.context.world.scheduleSave();
		}
	}

	/** Monotonic, below 100 until the task completes. */
	private setProgress(task: TaskRecord, progress: number): void {
		const value = Math.max(0, Math.min(99, Math.floor(progress)));
		if (value > task.progress) {
			this.update(task, {progress: value});
		}
	}

	private instanceOf(task: TaskRecord): InstanceRecord {
		const instance = this.context.world.instance(task.accountId, task.region, task.instanceId);
		if (!instance) {
			throw new TaskFailure('Server.InternalError', `Instance ${task.instanceId} disappeared.`);
		}

		return instance;
	}

	private setInstanceState(instance: InstanceRecord, state: InstanceRecord['state']): void {
		instance.state = state;
		void this.context.world.flush().catch(() => undefined);
	}

	/** Why an interrupted task cannot run again, or undefined when it can. */
	private resumeObstacle(task: TaskRecord): {code: string; message: string} | undefined {
		if (!credentialsOf(task)) {
			return notResumable(task, 'it was saved without its upload policy (by an older sandbox version)');
		}

		if (!this.context.accounts.some((account) => account.id === task.accountId)) {
			return notResumable(task, `account ${task.accountId} no longer exists in the sandbox`);
		}

		if (!this.context.world.instance(task.accountId, task.region, task.instanceId)) {
			return notResumable(task, `instance ${task.instanceId} no longer exists`);
		}

		// A pending task had not checked (or created) its bucket yet; any later one had it
		if (task.state !== 'pending' && !this.context.objects.getBucket(task.bucket)) {
			return notResumable(task, `bucket ${task.bucket} no longer exists`);
		}

		return undefined;
	}

	private async run(task: TaskRecord, signal: AbortSignal): Promise<void> {
		const workDir = path.join(this.workRoot, task.bundleId);
		try {
			const credentials = credentialsOf(task);
			if (!credentials) {
				throw new TaskFailure('Server.InternalError', 'The task has no upload policy to store the bundle with.');
			}

			await this.checkBucket(task);
			signal.throwIfAborted();

			const instance = this.instanceOf(task);
			this.update(task, {state: 'waiting-for-shutdown', progress: 0});
			this.setInstanceState(instance, 'stopping');
			await pause(this.context.pace.stepDelayMs, signal);
			this.setInstanceState(instance, 'stopped');

			this.update(task, {state: 'bundling'});
			await mkdir(workDir, {recursive: true, mode: 0o700});
			const bundle = await this.bundle(task, instance, workDir, signal);

			this.update(task, {state: 'storing'});
			await this.store(task, instance, bundle, credentials, signal);
			await rm(workDir, {recursive: true, force: true});

			await this.restartInstance(instance, signal);
			this.update(task, {state: 'complete', progress: 100});
		} catch (error) {
			const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
			if (reason === 'shutdown') {
				// Left as persisted; recover() settles it at the next start
				return;
			}

			const failure =
				reason === 'cancel'
					? cancelledError()
					: error instanceof TaskFailure
						? {code: error.code, message: error.message}
						: {
								code: 'Server.InternalError',
								message: `The sandbox could not bundle the instance: ${error instanceof Error ? error.message : String(error)}`,
							};
			await rm(workDir, {recursive: true, force: true}).catch(() => undefined);
			await this.finishStopped(task, failure, new AbortController().signal).catch(() => undefined);
		}
	}

	/** After a failure or cancel: remove uploads, restart the instance, mark the task failed. */
	private async finishStopped(
		task: TaskRecord,
		failure: {code: string; message: string},
		signal: AbortSignal,
	): Promise<void> {
		await this.removeUploads(task);
		const instance = this.context.world.instance(task.accountId, task.region, task.instanceId);
		if (instance && instance.state !== 'running') {
			await this.restartInstance(instance, signal);
		}

		this.update(task, {state: 'failed', error: failure});
	}

	private async restartInstance(instance: InstanceRecord, signal: AbortSignal): Promise<void> {
		this.setInstanceState(instance, 'pending');
		await pause(this.context.pace.stepDelayMs, signal);
		this.setInstanceState(instance, 'running');
	}

	/**
	 * Removes what the task stored. With sweep (after a restart) also the objects named like its parts or manifest
	 * that were written since it started and that no other task claims: an abrupt stop can upload a part after the
	 * last save of uploadedKeys.
	 */
	private async removeUploads(task: TaskRecord, options: {sweep: boolean} = {sweep: false}): Promise<void> {
		const keys = new Set(task.uploadedKeys);
		if (options.sweep) {
			for (const key of await this.strayUploads(task)) {
				keys.add(key);
			}
		}

		for (const key of keys) {
			await this.context.objects.deleteObject(task.bucket, key).catch(() => undefined);
		}

		task.uploadedKeys = [];
	}

	private async strayUploads(task: TaskRecord): Promise<string[]> {
		const claimed = new Set(
			this.context.world.state.tasks
				.filter((other) => other !== task && other.bucket === task.bucket && other.state !== 'failed')
				.flatMap((other) => other.uploadedKeys),
		);
		const pattern = new RegExp(String.raw`^${escapeRegExp(task.prefix)}\.(?:part\.\d+|manifest\.xml)$`);
		// Second precision on some file systems: a second of slack
		const since = Date.parse(task.startTime) - 1000;
		try {
			const listed = await this.context.objects.listObjects(task.bucket, task.prefix);
			return listed
				.filter(
					(object) => pattern.test(object.key) && object.lastModified.getTime() >= since && !claimed.has(object.key),
				)
				.map((object) => object.key);
		} catch {
			return []; // No such bucket: nothing to remove
		}
	}

	private async checkBucket(task: TaskRecord): Promise<void> {
		const {objects} = this.context;
		const bucket = objects.getBucket(task.bucket);
		if (!bucket) {
			try {
				await objects.createBucket(task.accountId, task.bucket, task.region);
			} catch (error) {
				if (error instanceof SandboxError) {
					throw new TaskFailure(`Client.${error.code}`, `Could not create bucket ${task.bucket}: ${error.message}`);
				}

				throw error;
			}

			return;
		}

		if (bucket.ownerId !== task.accountId) {
			throw new TaskFailure(
				'Client.AccessDenied',
				`Bucket ${task.bucket} belongs to another AWS account; EC2 cannot store the bundle there. Use a bucket you own or a new bucket name.`,
			);
		}

		if (bucket.region !== task.region) {
			throw new TaskFailure(
				'Client.PermanentRedirect',
				`Bucket ${task.bucket} is in ${bucket.region}, not in ${task.region} where the instance runs. Use a bucket in ${task.region}.`,
			);
		}
	}

	private async bundle(
		task: TaskRecord,
		instance: InstanceRecord,
		workDir: string,
		signal: AbortSignal,
	): Promise<{parts: WrittenPart[]; digest: string; size: number; bundledSize: number; key: Buffer; iv: Buffer}> {
		const image = createDiskImage(instance.id, this.context.pace.imageSize);
		// As ec2-ami-tools did: one file named like the bundle, tarred; the manifest's digest is over the tar stream
		const entry = {name: path.posix.basename(task.prefix), size: image.size, mtime: new Date(task.startTime)};
		const pacer = new Pacer(this.context.pace.bytesPerSecond, signal);
		const sha1 = createHash('sha1');
		const key = randomBytes(16);
		const iv = randomBytes(16);
		let input = 0;
		const work = Math.max(tarSize(entry) + image.estimatedBundledSize(), 1);
		const tap = new Transform({
			transform: (chunk: Buffer, _encoding, callback) => {
				pacer.take(chunk.length).then(() => {
					sha1.update(chunk);
					input += chunk.length;
					this.setProgress(task, (input / work) * 100);
					callback(null, chunk);
				}, callback);
			},
		});
		const writer = new PartWriter(workDir, bundlePartSize);
		await pipeline(
			tarStream(entry, image.stream()),
			tap,
			createGzip(),
			createCipheriv('aes-128-cbc', key, iv),
			writer,
			{signal},
		);
		return {parts: writer.parts, digest: sha1.digest('hex'), size: image.size, bundledSize: writer.total, key, iv};
	}

	private async store(
		task: TaskRecord,
		instance: InstanceRecord,
		bundle: {parts: WrittenPart[]; digest: string; size: number; bundledSize: number; key: Buffer; iv: Buffer},
		credentials: BundleCredentials,
		signal: AbortSignal,
	): Promise<void> {
		const pacer = new Pacer(this.context.pace.bytesPerSecond, signal);
		const count = bundle.parts.length;
		const baseName = path.posix.basename(task.prefix);
		const keyDirectory = task.prefix.slice(0, task.prefix.length - baseName.length);
		let stored = 0;
		const manifestParts: Array<{filename: string; digest: string}> = [];
		// One buffer for every part: only one part is ever in memory, and no garbage builds up between GCs
		const buffer = Buffer.allocUnsafe(Math.max(...bundle.parts.map((part) => part.size), 1));
		for (const [index, part] of bundle.parts.entries()) {
			const filename = partFileName(baseName, index, count);
			const body = await readPart(part, buffer);
			for (let offset = 0; offset < body.length; offset += sliceSize) {
				const slice = Math.min(sliceSize, body.length - offset);
				await pacer.take(slice);
				stored += slice;
				this.setProgress(task, ((bundle.size + stored) / Math.max(bundle.size + bundle.bundledSize, 1)) * 100);
			}

			signal.throwIfAborted();
			await this.post(task, `${keyDirectory}${filename}`, body, credentials);
			// The local copy is no longer needed: disk use stays near one bundle, not two
			await rm(part.file, {force: true});
			manifestParts.push({filename, digest: part.digest});
		}

		const keys = await this.context.keys();
		const manifest = buildManifest(
			{
				name: baseName,
				user: task.accountId,
				architecture: instance.architecture,
				digest: bundle.digest,
				size: bundle.size,
				bundledSize: bundle.bundledSize,
				ec2EncryptedKey: encryptForManifest(keys.ec2.publicKey, bundle.key),
				userEncryptedKey: encryptForManifest(keys.user.publicKey, bundle.key),
				ec2EncryptedIv: encryptForManifest(keys.ec2.publicKey, bundle.iv),
				userEncryptedIv: encryptForManifest(keys.user.publicKey, bundle.iv),
				parts: manifestParts,
			},
			(text) => signManifestText(keys.user.privateKey, text),
		);
		signal.throwIfAborted();
		await this.post(task, `${task.prefix}.manifest.xml`, Buffer.from(manifest, 'utf8'), credentials);
	}

	private async post(task: TaskRecord, key: string, body: Buffer, credentials: BundleCredentials): Promise<void> {
		try {
			await this.context.objects.postObject({
				bucket: task.bucket,
				key,
				acl: bundleAcl,
				policy: credentials.policy,
				signature: credentials.signature,
				awsAccessKeyId: credentials.awsAccessKeyId,
				body,
			});
		} catch (error) {
			if (error instanceof SandboxError) {
				throw new TaskFailure(
					`Client.${error.code}`,
					`S3 refused the upload of ${key} to bucket ${task.bucket}: ${error.message}`,
				);
			}

			throw error;
		}

		task.uploadedKeys.push(key);
		// Saved at once (one write per 10 MiB part): after a restart the task knows what to remove
		await this.context.world.flush().catch(() => undefined);
	}
}
