/**
 * Node modules most runs never use, loaded on first use. A plain lint starts no process and asks
 * no DNS server and starts no thread, and loading node:child_process (with node:net and
 * node:dgram), node:dns/promises and node:worker_threads at start-up measured ≈ 8 ms of every
 * run (bench/startup.mjs).
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function childProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process');
}

export function dnsPromises(): typeof import('node:dns/promises') {
  return load('node:dns/promises') as typeof import('node:dns/promises');
}

export function workerThreads(): typeof import('node:worker_threads') {
  return load('node:worker_threads') as typeof import('node:worker_threads');
}

/** node:tty loads node:net: asked for only when something needs to know whether a stream is a terminal. */
export function tty(): typeof import('node:tty') {
  return load('node:tty') as typeof import('node:tty');
}
