// The JSON body of a /graphql POST. Nearly every request is the plain case: a content-length
// within the limit, no content-encoding, `application/json` with no charset or UTF-8, an object.
// That case is read here with one JSON.parse; every other one (chunked, compressed, another
// charset, over the limit, empty) goes to express.json, whose answers (413, 415, BAD_JSON) stay
// the reference. body-parser's content negotiation costs more per request than the parse itself.
import express, { type Request, type Response } from 'express';
import type { LeanHandler } from './lean-http';

const PLAIN_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/graphql-response+json']);

/** A parse failure as body-parser reports it, so the app's error handler answers it alike. */
function parseFailure(cause: unknown): Error {
  return Object.assign(new SyntaxError(cause instanceof Error ? cause.message : 'Unexpected end of JSON input'), {
    type: 'entity.parse.failed',
    status: 400,
    statusCode: 400,
    expose: true,
  });
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return undefined;
}

export function jsonBody(limit: number, types: string[]): LeanHandler {
  // body-parser reads node's request as it is (connect style): express's helpers are not needed.
  const parser = express.json({ limit, type: types });
  const general: LeanHandler = (req, res, next) => parser(req as unknown as Request, res as unknown as Response, next);
  return (req, res, next) => {
    const type = req.headers['content-type']?.toLowerCase();
    const length = Number(req.headers['content-length']);
    if (
      req.method !== 'POST' ||
      type === undefined ||
      !PLAIN_TYPES.has(type) ||
      !(length > 0 && length <= limit) ||
      req.headers['content-encoding'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined
    ) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const done = (err?: unknown) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', done);
      if (err !== undefined) {
        next(err);
        return;
      }
      // The HTTP parser enforces content-length, so `received` equals it here.
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8');
      // body-parser's strict mode: an object or an array, nothing else.
      const first = firstNonSpace(text);
      if (first !== '{' && first !== '[') {
        next(parseFailure(undefined));
        return;
      }
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (e) {
        next(parseFailure(e));
        return;
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => done();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', done);
  };
}
