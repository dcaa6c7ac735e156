/**
 * Runs a Python snippet of ours against the backend's own modules (for the "same as the
 * backend" unit tests). Uses the repository's virtualenv, which `make deps` creates and
 * `make test` always has; RW_PYTHON points elsewhere.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const BACKEND_DIR = process.env.RW_BACKEND_DIR ?? path.join(REPO_ROOT, "backend");

export function python(): string {
  const p = process.env.RW_PYTHON ?? path.join(REPO_ROOT, ".venv/bin/python");
  if (!existsSync(p)) throw new Error(`${p} not found: run \`make deps\` at the repository root (or set RW_PYTHON)`);
  return p;
}

/** Runs `script` (a path) with `input` as JSON on stdin, in the backend directory; returns parsed stdout. */
export function runBackendScript<T>(script: string, input: unknown): T {
  const out = execFileSync(python(), [script], {
    cwd: BACKEND_DIR,
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONPATH: BACKEND_DIR },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString("utf8")) as T;
}

export function readBackendFile(rel: string): string {
  return readFileSync(path.join(BACKEND_DIR, rel), "utf8");
}
