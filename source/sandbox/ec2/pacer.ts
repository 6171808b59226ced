/** Paces a byte stream at bytesPerSecond (undefined = no pacing); sleeps are abortable. */
import {pause} from '../../core/timers.js';

export class Pacer {
	private readonly bytesPerSecond: number | undefined;
	private readonly signal: AbortSignal;
	private readonly started = Date.now();
	private bytes = 0;

	constructor(bytesPerSecond: number | undefined, signal: AbortSignal) {
		this.bytesPerSecond = bytesPerSecond && bytesPerSecond > 0 ? bytesPerSecond : undefined;
		this.signal = signal;
	}

	async take(bytes: number): Promise<void> {
		this.bytes += bytes;
		if (this.bytesPerSecond === undefined) {
			this.signal.throwIfAborted();
			return;
		}

		const due = this.started + (this.bytes / this.bytesPerSecond) * 1000;
		const wait = due - Date.now();
		if (wait > 1) {
			await pause(wait, this.signal);
		} else {
			this.signal.throwIfAborted();
		}
	}
}
