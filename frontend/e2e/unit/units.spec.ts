// lib/units.ts is a copy of backend/app/invoices/units.py; this keeps the copy honest.
import { expect, test } from "@playwright/test";
import { UNITS } from "../../lib/units";
import { readBackendFile } from "./backend";

test("the unit list equals the backend's, code by code and label by label", () => {
  const source = readBackendFile("app/invoices/units.py");
  const block = /UNITS: dict\[str, tuple\[str, str\]\] = \{([\s\S]*?)\n\}/.exec(source)?.[1];
  expect(block, "UNITS = {...} not found in units.py").toBeTruthy();
  const entries = [...block!.matchAll(/^\s*"([^"]+)":\s*\("([^"]*)",\s*"([^"]*)"\),?\s*(?:#.*)?$/gm)].map((m) => ({
    code: m[1],
    short: m[2],
    label: m[3],
  }));
  // Every non-comment line of the dict must have been understood, or the parse above is stale.
  const entryLines = block!.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  expect(entries).toHaveLength(entryLines.length);
  expect(UNITS).toEqual(entries);
});
