// Shared assertions for the service suites: typed errors with named fields, and "nothing saved changed".
import { expect } from 'chai';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors';
import type { Services } from '../../src/services';

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  expect.fail('expected the call to be refused, but it succeeded');
}

/** A ValidationError naming `field` with a short, readable message (never a TypeError or a database error). */
export async function expectInvalid(p: Promise<unknown>, field: string, message?: RegExp): Promise<ValidationError> {
  const err = await rejection(p);
  if (!(err instanceof ValidationError))
    expect.fail(`expected ValidationError on ${field}, got ${err?.name}: ${err?.message}`);
  expect(Object.keys(err.fields), `fields of: ${err.message.slice(0, 300)}`).to.include(field);
  const text = err.fields[field];
  expect(text).to.be.a('string').and.not.equal('');
  expect(text.length, 'message stays short (never echoes a huge value)').to.be.below(400);
  expect(text).to.not.match(/undefined|\[object |NaN|TypeError/);
  if (message) expect(text).to.match(message);
  return err;
}

export async function expectConflict(p: Promise<unknown>, message?: RegExp): Promise<ConflictError> {
  const err = await rejection(p);
  if (!(err instanceof ConflictError)) expect.fail(`expected ConflictError, got ${err?.name}: ${err?.message}`);
  if (message) expect(err.message).to.match(message);
  return err;
}

export async function expectForbidden(p: Promise<unknown>, message?: RegExp): Promise<ForbiddenError> {
  const err = await rejection(p);
  if (!(err instanceof ForbiddenError)) expect.fail(`expected ForbiddenError, got ${err?.name}: ${err?.message}`);
  if (message) expect(err.message).to.match(message);
  return err;
}

export async function expectNotFound(p: Promise<unknown>): Promise<NotFoundError> {
  const err = await rejection(p);
  if (!(err instanceof NotFoundError)) expect.fail(`expected NotFoundError, got ${err?.name}: ${err?.message}`);
  return err;
}

/** Everything stored for the PBXs (and the PBX rows themselves), as one comparable text. */
export async function stored(services: Services, pbxIds: number[]): Promise<string> {
  const snaps = [];
  for (const id of pbxIds) snaps.push(await services.snapshot(id));
  return JSON.stringify(snaps);
}

/** Runs `fn` and asserts that nothing stored for the PBXs changed (reloaded from the database, not from memory). */
export async function expectUnchanged(services: Services, pbxIds: number[], fn: () => Promise<void>): Promise<void> {
  const before = await stored(services, pbxIds);
  await fn();
  const after = await stored(services, pbxIds);
  if (after !== before) expect.fail('a refused change altered stored data');
}

/** Deterministic unique suffixes for objects a test creates. */
export function counter(start = 1): () => number {
  let n = start;
  return () => n++;
}
