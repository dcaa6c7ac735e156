// lib/units.ts is a copy of backend/app/invoices/units.py; this keeps the copy honest.
import { expect, test } from "@playwright/test";
import { portalMessages } from "../../lib/i18n/portal";
import { UNIT_GROUP_LABEL, UNITS } from "../../lib/units";
import { readBackendFile } from "./backend";

test("the unit list equals the backend's: codes, labels, order and groups", () => {
  const source = readBackendFile("app/invoices/units.py");
  const block = /UNITS: dict\[str, tuple\[str, str\]\] = \{([\s\S]*?)\n\}/.exec(source)?.[1];
  expect(block, "UNITS = {...} not found in units.py").toBeTruthy();
  const entries: { code: string; short: string; label: string; group: string }[] = [];
  let group = "";
  for (const raw of block!.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("# code:")) continue;
    if (line.startsWith("#")) {
      group = line.slice(1).trim();
      continue;
    }
    const m = /^"([^"]+)":\s*\("([^"]*)",\s*"([^"]*)"\),?\s*(?:#.*)?$/.exec(line);
    // A line we cannot read means this parser (or the copy) is stale: fail, do not skip.
    expect(m, `unreadable line in units.py: ${line}`).toBeTruthy();
    entries.push({ code: m![1]!, short: m![2]!, label: m![3]!, group });
  }
  expect(UNITS).toEqual(entries);
  for (const u of UNITS) expect(UNIT_GROUP_LABEL[u.group], `German heading for group "${u.group}"`).toBeTruthy();
});

test("the portal has an English label for every unit", () => {
  const missing = UNITS.filter((u) => !portalMessages.en.units[u.code]).map((u) => u.code);
  expect(missing, `add English labels to lib/i18n/portal.ts for: ${missing.join(", ")}`).toEqual([]);
});
