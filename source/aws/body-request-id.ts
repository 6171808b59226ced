/**
 * EC2 Query error documents carry the request id in the body (<RequestID>); AWS also sends it as the
 * x-amzn-requestid header, which is the only place the SDK reads it from. For endpoints that send it only in the
 * body (EC2-compatible endpoints, the sandbox), this middleware copies it into the header before the SDK
 * deserializes the error, so AppError can always quote it. Success responses are never touched.
 */
import {Readable} from 'node:stream';
import type {DeserializeHandlerOutput, MetadataBearer, Pluggable} from '@smithy/types';

type RawResponse = {statusCode?: number; headers?: Record<string, string>; body?: unknown};

const requestIdHeaders = ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id'];

export const bodyRequestIdPlugin: Pluggable<object, MetadataBearer> = {
	applyToStack(stack) {
		stack.add(
			(next) => async (args) => {
				const result: DeserializeHandlerOutput<MetadataBearer> = await next(args);
				const response = result.response as RawResponse;
				const headers = response.headers ?? {};
				const {body} = response;
				if (
					(response.statusCode ?? 0) < 400 ||
					requestIdHeaders.some((name) => headers[name]) ||
					!(body instanceof Readable)
				) {
					return result;
				}

				// Error documents are a few hundred bytes; the SDK reads the whole body of an error anyway.
				const chunks: Buffer[] = [];
				for await (const chunk of body) {
					chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
				}

				const text = Buffer.concat(chunks);
				const id = /<RequestI[Dd]>\s*([\w-]{1,128})\s*<\/RequestI[Dd]>/.exec(text.toString('utf8'))?.[1];
				if (id) {
					response.headers = {...headers, 'x-amzn-requestid': id};
				}

				response.body = Readable.from([text]);
				return result;
			},
			{step: 'deserialize', priority: 'low', name: 'bundledeckBodyRequestId'},
		);
	},
};
