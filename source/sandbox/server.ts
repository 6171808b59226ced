/**
 * The sandbox's HTTP front: one port on 127.0.0.1, every request authenticated with SigV4 against the account's
 * secret, routed by the credential scope (service ec2 | s3 | sts, region), faults injected, and logged.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Readable} from 'node:stream';
import {pause} from '../core/timers.js';
import {findAccountByAccessKey} from './accounts.js';
import {
	type Ec2Service,
	type RequestLogEntry,
	type SandboxAccount,
	SandboxError,
	type SandboxRegion,
	sandboxRegions,
} from './contracts.js';
import {ec2ErrorXml, queryErrorXml, s3ErrorXml, stsErrorXml} from './error-documents.js';
import type {FaultInjector} from './faults.js';
import {isAllowedHost} from './host-check.js';
import {queryRequestId, s3HostId, s3RequestId} from './request-id.js';
import {resolveS3Address} from './s3/addressing.js';
import {handleS3, operationOf, type S3Call, type S3Reply} from './s3/handlers.js';
import type {MultipartUploads} from './s3/multipart.js';
import type {DiskObjectStore} from './s3/object-store.js';
import {checkContentSha256, requestBody} from './s3/request-body.js';
import {S3Error} from './s3/s3-error.js';
import {
	type AuthParse,
	credentialScope,
	parseAuth,
	parseRawQuery,
	type RequestParts,
	type SigV4Auth,
	sha256Hex,
	signingKey,
	verifySigV4,
} from './sigv4.js';
import {streamTo} from './stream-to.js';
import {handleSts} from './sts/get-caller-identity.js';

export type ServerContext = {
	accounts: SandboxAccount[];
	store: DiskObjectStore;
	uploads: MultipartUploads;
	ec2: Ec2Service;
	faults: FaultInjector;
	log: (entry: RequestLogEntry) => void;
	/** Host header ports served besides the sandbox's own (tests: a relay in front of it). */
	extraHostPorts?: readonly number[] | undefined;
	/** How long close() waits for requests being handled once their sockets are gone; default 10 s. */
	inFlightGraceMs?: number | undefined;
};

type Service = 'ec2' | 's3' | 'sts';

const maxQueryBody = 1024 * 1024;
const defaultInFlightGraceMs = 10_000;
const regionList = sandboxRegions.join(', ');

function isSandboxRegion(region: string): region is SandboxRegion {
	return (sandboxRegions as readonly string[]).includes(region);
}

function splitUrl(url: string): {path: string; query: string} {
	const index = url.indexOf('?');
	return index === -1 ? {path: url, query: ''} : {path: url.slice(0, index), query: url.slice(index + 1)};
}

function decodedQuery(query: string): URLSearchParams {
	try {
		return new URLSearchParams(parseRawQuery(query));
	} catch {
		return new URLSearchParams();
	}
}

/** Which protocol a request speaks when its credential scope does not say (unsigned or malformed auth). */
function guessService(
	request: IncomingMessage,
	parsed: AuthParse,
	query: URLSearchParams,
	body: Buffer | undefined,
): Service {
	const scoped = parsed.kind === 'malformed' ? parsed.credential?.service : undefined;
	if (scoped === 'ec2' || scoped === 's3' || scoped === 'sts') {
		return scoped;
	}

	const action = query.get('Action') ?? (body ? new URLSearchParams(body.toString('utf8')).get('Action') : null);
	if (action !== null) {
		return action === 'GetCallerIdentity' ? 'sts' : 'ec2';
	}

	return isFormPost(request) ? 'ec2' : 's3';
}

function isFormPost(request: IncomingMessage): boolean {
	return (
		request.method === 'POST' &&
		(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')
	);
}

async function readRequest(request: IncomingMessage, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > limit) {
			throw new SandboxError('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, 413);
		}

		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks);
}

function send(
	response: ServerResponse,
	status: number,
	headers: Record<string, string>,
	body: string | undefined,
): void {
	if (response.headersSent) {
		response.destroy();
		return;
	}

	const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
	response.writeHead(status, {
		...headers,
		'content-length': String(payload?.length ?? 0),
	});
	response.end(payload);
}

/** Authentication failures, as each protocol reports them. */
type AuthFailure = {
	reason: 'anonymous' | 'malformed' | 'region' | 'unknown-key' | 'mismatch' | 'expired' | 'skewed';
	message: string;
	accessKeyId?: string | undefined;
	query?: boolean;
};

function authError(service: Service, failure: AuthFailure): SandboxError {
	if (service === 'ec2') {
		switch (failure.reason) {
			case 'expired':
			case 'skewed': {
				return new SandboxError('RequestExpired', `Request has expired. ${failure.message}`, 400);
			}

			default: {
				return new SandboxError('AuthFailure', failure.message, 401);
			}
		}
	}

	if (service === 'sts') {
		switch (failure.reason) {
			case 'anonymous': {
				return new SandboxError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
			}

			case 'malformed': {
				return new SandboxError('IncompleteSignature', failure.message, 400);
			}

			case 'unknown-key': {
				return new SandboxError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
			}

			case 'expired':
			case 'skewed': {
				return new SandboxError('SignatureDoesNotMatch', `Signature expired: ${failure.message}`, 403);
			}

			default: {
				return new SandboxError('SignatureDoesNotMatch', failure.message, 403);
			}
		}
	}

	switch (failure.reason) {
		case 'anonymous': {
			return new SandboxError('AccessDenied', 'Access Denied', 403);
		}

		case 'malformed':
		case 'region': {
			return new SandboxError(
				failure.query ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed',
				failure.message,
				400,
			);
		}

		case 'unknown-key': {
			return new S3Error(
				'InvalidAccessKeyId',
				'The AWS Access Key Id you provided does not exist in our records.',
				403,
				{
					fields: {AWSAccessKeyId: failure.accessKeyId},
				},
			);
		}

		case 'expired': {
			return new SandboxError('AccessDenied', 'Request has expired', 403);
		}

		case 'skewed': {
			return new SandboxError('RequestTimeTooSkewed', failure.message, 403);
		}

		default: {
			return new S3Error('SignatureDoesNotMatch', failure.message, 403, {
				fields: {AWSAccessKeyId: failure.accessKeyId},
			});
		}
	}
}

function anonymousMessage(service: Service): string {
	return service === 's3'
		? 'Access Denied'
		: 'AWS was not able to validate the provided access credentials: the request is not signed (AWS Signature Version 4 required).';
}

type Authenticated = {account: SandboxAccount; region: SandboxRegion; auth: SigV4Auth};

/** Finds the account and checks scope region; the signature itself is checked by the caller (needs the payload hash). */
function authenticate(service: Service, parsed: AuthParse, accounts: SandboxAccount[]): Authenticated | AuthFailure {
	if (parsed.kind === 'none') {
		return {reason: 'anonymous', message: anonymousMessage(service)};
	}

	if (parsed.kind === 'malformed') {
		return {reason: 'malformed', message: parsed.message, query: false};
	}

	const {auth} = parsed;
	if (!isSandboxRegion(auth.region)) {
		return {
			reason: 'region',
			message:
				service === 's3'
					? `The authorization header is malformed; the region '${auth.region}' is wrong; the sandbox serves ${regionList}.`
					: `Credential should be scoped to a valid region, not '${auth.region}'. The sandbox serves ${regionList}.`,
			query: auth.kind === 'query',
		};
	}

	const account = findAccountByAccessKey(accounts, auth.accessKeyId);
	if (!account) {
		return {
			reason: 'unknown-key',
			message: `AWS was not able to validate the provided access credentials: the access key ${auth.accessKeyId} does not exist in the sandbox.`,
			accessKeyId: auth.accessKeyId,
		};
	}

	return {account, region: auth.region, auth};
}

function verify(parts: RequestParts, authenticated: Authenticated, payloadHashes: string[]): AuthFailure | undefined {
	const now = new Date();
	let failure: ReturnType<typeof verifySigV4>;
	for (const hash of payloadHashes) {
		failure = verifySigV4(parts, authenticated.auth, authenticated.account.secretAccessKey, hash, now);
		if (!failure) {
			return undefined;
		}

		if (failure.kind !== 'mismatch') {
			break;
		}
	}

	const kind = failure?.kind ?? 'mismatch';
	return {
		reason: kind === 'malformed' ? 'malformed' : kind,
		message: failure?.message ?? 'The request signature does not match.',
		accessKeyId: authenticated.auth.accessKeyId,
		query: authenticated.auth.kind === 'query',
	};
}

export class SandboxServer {
	private readonly context: ServerContext;
	private readonly server: Server;
	/** Requests being handled: close() waits for them, so none writes into the data directory after it returns. */
	private readonly inFlight = new Set<Promise<void>>();
	/** Aborted by close(): a request held by a latency fault ends then, not when the latency is over. */
	private readonly stopping = new AbortController();
	private endpointUrl = '';

	constructor(context: ServerContext) {
		this.context = context;
		this.server = createServer((request, response) => {
			const handling = this.handle(request, response).catch((error: unknown) => {
				if (!this.stopping.signal.aborted) {
					console.error(`bundledeck sandbox: request failed: ${String(error)}`);
				}

				response.destroy();
			});
			this.inFlight.add(handling);
			void handling.finally(() => this.inFlight.delete(handling));
		});
		this.server.keepAliveTimeout = 5000;
		// A hostile local client cannot hold the region: slow headers, idle or endless requests, and too many
		// sockets are cut off. A whole request may take 10 minutes (a 5 GB part on a slow disk).
		this.server.headersTimeout = 10_000;
		this.server.requestTimeout = 600_000;
		this.server.timeout = 120_000;
		this.server.maxConnections = 256;
	}

	get endpoint(): string {
		return this.endpointUrl;
	}

	async listen(port: number): Promise<number> {
		await new Promise<void>((resolve, reject) => {
			const onError = (error: Error) => {
				reject(error);
			};

			this.server.once('error', onError);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', onError);
				resolve();
			});
		});
		const address = this.server.address() as AddressInfo;
		this.endpointUrl = `http://127.0.0.1:${address.port}`;
		return address.port;
	}

	async close(): Promise<void> {
		this.stopping.abort();
		await new Promise<void>((resolve) => {
			this.server.close(() => {
				resolve();
			});
			this.server.closeAllConnections();
		});
		// The sockets are gone, so a handler still running ends soon (its reads and writes fail). Bounded all the same:
		// a handler that never settles (a defect) must not keep the region from stopping.
		const graceMs = this.context.inFlightGraceMs ?? defaultInFlightGraceMs;
		const graceOver = new AbortController();
		const late = await Promise.race([
			Promise.allSettled([...this.inFlight]).then(() => false),
			// Aborted once the requests ended first: settles quietly
			pause(graceMs, graceOver.signal).then(
				() => true,
				() => false,
			),
		]);
		graceOver.abort();
		if (late) {
			console.error(
				`bundledeck sandbox: ${this.inFlight.size} request(s) still running ${graceMs / 1000} s after the stop; stopped without them`,
			);
		}
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		if (!isAllowedHost(request.headers.host, [this.port, ...(this.context.extraHostPorts ?? [])])) {
			this.refuseHost(request, response);
			return;
		}

		const parts: RequestParts = {
			method: request.method ?? 'GET',
			url: request.url ?? '/',
			rawHeaders: request.rawHeaders,
		};
		const {query: rawQuery} = splitUrl(parts.url);
		const query = decodedQuery(rawQuery);
		const parsed = parseAuth(parts);
		let service: Service;
		let queryBody: Buffer | undefined;
		try {
			if (parsed.kind === 'signed') {
				const scoped = parsed.auth.service;
				if (scoped !== 'ec2' && scoped !== 's3' && scoped !== 'sts') {
					await readRequest(request, maxQueryBody).catch(() => undefined);
					this.sendUnknownService(response, scoped);
					return;
				}

				service = scoped;
			} else {
				if (isFormPost(request)) {
					queryBody = await readRequest(request, maxQueryBody);
				}

				service = guessService(request, parsed, query, queryBody);
			}
		} catch (error) {
			this.sendError(response, 'ec2', error, queryRequestId(), false);
			return;
		}

		if (service === 's3') {
			await this.handleS3(request, response, parts, parsed, query);
		} else {
			await this.handleQuery(service, request, response, parts, parsed, query, queryBody);
		}
	}

	private get port(): number {
		return (this.server.address() as AddressInfo | null)?.port ?? 0;
	}

	/** Answered before any body is read or any signature checked; the connection is closed after. */
	private refuseHost(request: IncomingMessage, response: ServerResponse): void {
		response.setHeader('connection', 'close');
		send(
			response,
			400,
			{'content-type': 'text/xml'},
			queryErrorXml(
				'InvalidHostHeader',
				`The sandbox answers only requests addressed to 127.0.0.1 or localhost on port ${this.port}.`,
				queryRequestId(),
				400,
				undefined,
			),
		);
		response.once('finish', () => {
			request.destroy();
		});
		this.record({service: 's3', region: '', action: 'InvalidHost', status: 400, accountId: undefined});
	}

	private sendUnknownService(response: ServerResponse, service: string): void {
		const requestId = queryRequestId();
		send(
			response,
			400,
			{'content-type': 'text/xml'},
			queryErrorXml(
				'InvalidAction',
				`The sandbox does not serve the service '${service}'; it serves ec2, s3 and sts.`,
				requestId,
				400,
				undefined,
			),
		);
	}

	private record(entry: Omit<RequestLogEntry, 'time'>): void {
		this.context.log({...entry, time: Date.now()});
	}

	private async applyFaults(service: Service, action: string): Promise<SandboxError | undefined> {
		const decision = this.context.faults.decide(action);
		if (decision.latencyMs > 0) {
			await pause(decision.latencyMs, this.stopping.signal);
		}

		if (decision.failure === 'throttle') {
			return service === 's3'
				? new SandboxError('SlowDown', 'Please reduce your request rate.', 503)
				: new SandboxError('RequestLimitExceeded', 'Request limit exceeded.', 503);
		}

		if (decision.failure === 'server-error') {
			return new SandboxError(
				'InternalError',
				service === 's3'
					? 'We encountered an internal error. Please try again.'
					: 'An internal error has occurred. Please retry your request.',
				500,
			);
		}

		return undefined;
	}

	private sendError(
		response: ServerResponse,
		service: Service,
		error: unknown,
		requestId: string,
		head: boolean,
	): number {
		if (clientLeft(response, error)) {
			// Nobody is there to answer: record it as web servers do (499, client closed request), not as our fault.
			response.destroy();
			return 499;
		}

		const known = error instanceof SandboxError;
		const code = known ? error.code : 'InternalError';
		const status = known ? error.status : 500;
		const message = known
			? error.message
			: service === 's3'
				? 'We encountered an internal error. Please try again.'
				: 'An internal error has occurred. Please retry your request.';
		if (!known) {
			console.error(`bundledeck sandbox: internal error (request ${requestId}): ${String(error)}`);
		}

		if (service === 's3') {
			const hostId = s3HostId();
			const extra = error instanceof S3Error ? error : undefined;
			const headers: Record<string, string> = {
				'x-amz-request-id': requestId,
				'x-amz-id-2': hostId,
				...extra?.headers,
			};
			if (head) {
				send(response, status, headers, undefined);
			} else {
				send(
					response,
					status,
					{...headers, 'content-type': 'application/xml'},
					s3ErrorXml(code, message, requestId, hostId, extra?.fields),
				);
			}
		} else if (service === 'sts') {
			send(
				response,
				status,
				{'content-type': 'text/xml', 'x-amzn-requestid': requestId},
				stsErrorXml(code, message, requestId, status),
			);
		} else {
			send(
				response,
				status,
				{'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId},
				ec2ErrorXml(code, message, requestId),
			);
		}

		return status;
	}

	private async handleQuery(
		service: 'ec2' | 'sts',
		request: IncomingMessage,
		response: ServerResponse,
		parts: RequestParts,
		parsed: AuthParse,
		query: URLSearchParams,
		bufferedBody: Buffer | undefined,
	): Promise<void> {
		const requestId = queryRequestId();
		const scopedRegion = parsed.kind === 'signed' ? parsed.auth.region : '';
		let action = query.get('Action') ?? 'Unknown';
		let accountId: string | undefined;
		let status = 500;
		try {
			const body = bufferedBody ?? (await readRequest(request, maxQueryBody));
			const params = new URLSearchParams(query);
			if (isFormPost(request)) {
				for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
					params.append(name, value);
				}
			}

			action = params.get('Action') ?? 'Unknown';
			const authenticated = authenticate(service, parsed, this.context.accounts);
			if (!('account' in authenticated)) {
				throw authError(service, authenticated);
			}

			accountId = authenticated.account.id;
			const contentSha = request.headers['x-amz-content-sha256'];
			const hashes = [typeof contentSha === 'string' ? contentSha : sha256Hex(body)];
			if (authenticated.auth.kind === 'query') {
				hashes.push('UNSIGNED-PAYLOAD');
			}

			const failure = verify(parts, authenticated, hashes);
			if (failure) {
				throw authError(service, failure);
			}

			if (typeof contentSha === 'string' && /^[\da-f]{64}$/.test(contentSha) && contentSha !== sha256Hex(body)) {
				throw authError(service, {reason: 'mismatch', message: 'The payload hash does not match the body.'});
			}

			const fault = await this.applyFaults(service, action);
			if (fault) {
				throw fault;
			}

			if (service === 'sts') {
				const xml = handleSts(params.get('Action') ?? undefined, authenticated.account, requestId);
				status = 200;
				send(response, 200, {'content-type': 'text/xml', 'x-amzn-requestid': requestId}, xml);
				return;
			}

			const action_ = params.get('Action');
			if (!action_) {
				throw new SandboxError('MissingAction', 'The request must contain the parameter Action.', 400);
			}

			const result = await this.context.ec2.handle({
				account: authenticated.account,
				region: authenticated.region,
				action: action_,
				params,
				requestId,
			});
			status = result.status;
			send(
				response,
				result.status,
				{'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId},
				result.body,
			);
		} catch (error) {
			status = this.sendError(response, service, error, requestId, false);
		} finally {
			this.record({service, region: scopedRegion, action, status, accountId});
		}
	}

	private async handleS3(
		request: IncomingMessage,
		response: ServerResponse,
		parts: RequestParts,
		parsed: AuthParse,
		query: URLSearchParams,
	): Promise<void> {
		const requestId = s3RequestId();
		const head = parts.method === 'HEAD';
		let region = parsed.kind === 'signed' ? parsed.auth.region : '';
		let operation = 'Unknown';
		let accountId: string | undefined;
		let status = 500;
		let bodyStream: Readable | undefined;
		try {
			const address = resolveS3Address(request.headers.host, splitUrl(parts.url).path);
			const call: Omit<S3Call, 'body' | 'account' | 'region'> = {
				method: parts.method,
				address,
				query,
				headers: request.headers,
				endpoint: this.endpointUrl,
			};
			operation = operationOf(call);
			let account: SandboxAccount | undefined;
			let signing: SigV4Auth | undefined;
			const contentSha = request.headers['x-amz-content-sha256'];
			const contentSha256 = typeof contentSha === 'string' ? contentSha : undefined;
			if (parsed.kind === 'none' && operation === 'PostObject') {
				// The legacy POST form authenticates itself with its policy signature.
				const bucket = address.bucket === undefined ? undefined : this.context.store.getBucket(address.bucket);
				region = bucket?.region ?? '';
			} else {
				const authenticated = authenticate('s3', parsed, this.context.accounts);
				if (!('account' in authenticated)) {
					throw authError('s3', authenticated);
				}

				accountId = authenticated.account.id;
				let hashes: string[];
				if (authenticated.auth.kind === 'header') {
					if (contentSha256 === undefined) {
						throw new SandboxError(
							'InvalidRequest',
							'Missing required header for this request: x-amz-content-sha256',
							400,
						);
					}

					checkContentSha256(contentSha256);
					hashes = [contentSha256];
				} else {
					hashes = contentSha256 === undefined ? ['UNSIGNED-PAYLOAD'] : [contentSha256, 'UNSIGNED-PAYLOAD'];
				}

				const failure = verify(parts, authenticated, hashes);
				if (failure) {
					throw authError('s3', failure);
				}

				account = authenticated.account;
				signing = authenticated.auth;
			}

			const fault = await this.applyFaults('s3', operation);
			if (fault) {
				throw fault;
			}

			const reply = await handleS3(
				{
					...call,
					account,
					region: signing?.region,
					body: () => {
						if (bodyStream) {
							throw new Error('The S3 request body was read twice.');
						}

						bodyStream = requestBody(request, {
							contentSha256: signing?.kind === 'header' ? contentSha256 : undefined,
							signing:
								signing && account
									? {
											signingKey: signingKey(account.secretAccessKey, signing),
											amzDate: signing.amzDate,
											scope: credentialScope(signing),
											seedSignature: signing.signature,
										}
									: undefined,
						});
						return bodyStream;
					},
				},
				{store: this.context.store, uploads: this.context.uploads, accounts: this.context.accounts},
			);
			status = reply.status;
			await this.sendS3(response, reply, requestId, head);
		} catch (error) {
			if (bodyStream && !request.complete) {
				// The body was being read and is abandoned: close the connection after this answer instead of
				// leaving the client's upload hanging on a keep-alive socket.
				bodyStream.destroy();
				response.setHeader('connection', 'close');
			}

			status = this.sendError(response, 's3', error, requestId, head);
		} finally {
			this.record({service: 's3', region, action: operation, status, accountId});
		}
	}

	private async sendS3(response: ServerResponse, reply: S3Reply, requestId: string, head: boolean): Promise<void> {
		const headers = {'x-amz-request-id': requestId, 'x-amz-id-2': s3HostId(), ...reply.headers};
		const {body} = reply;
		if (typeof body === 'object') {
			if (head) {
				body.destroy();
				response.writeHead(reply.status, headers);
				response.end();
				return;
			}

			response.writeHead(reply.status, headers);
			await streamTo(body, response);
			return;
		}

		if (head || body === undefined) {
			response.writeHead(reply.status, {'content-length': '0', ...headers});
			response.end();
			return;
		}

		send(response, reply.status, headers, body);
	}
}

/** The client hung up before its request was read (Node's 'aborted' / ECONNRESET on the request stream). */
function clientLeft(response: ServerResponse, error: unknown): boolean {
	if (!(error instanceof Error)) {
		return false;
	}

	const code = (error as NodeJS.ErrnoException).code;
	return (
		response.destroyed ||
		response.socket?.destroyed === true ||
		error.message === 'aborted' ||
		code === 'ECONNRESET' ||
		code === 'ERR_STREAM_PREMATURE_CLOSE'
	);
}
