// Invoice number formats: the settings page's live preview against the backend's rules.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { counterOf, formatProblem, renderNumber } from "../../lib/numbering";
import { runBackendScript } from "./backend";

test("invoice number formats: preview and the backend's rules", () => {
  expect(renderNumber("RE-{YYYY}-{NNNN}", "2026-11-26", 42)).toBe("RE-2026-0042");
  expect(renderNumber("{YY}{MM}/{NNN}", "2026-03-01", 7)).toBe("2603/007");
  expect(renderNumber("R{N}", "2026-03-01", 12345)).toBe("R12345");
  expect(counterOf("RE-{YYYY}-{NNNN}", "RE-2026-0042")).toBe(42);
  expect(counterOf("{YY}.{MM}.{NNN}", "26.11.013")).toBe(13);
  expect(counterOf("RE-{YYYY}-{NNNN}", "XY-1")).toBeNull();
  expect(formatProblem("RE-{YYYY}-{NNNN}")).toBeNull();
  expect(formatProblem("RE-{YYYY}")).toMatch(/genau einen Zähler/);
  expect(formatProblem("RE-{NN}-{NN}")).toMatch(/genau einen Zähler/);
  expect(formatProblem("RE {NNNN}")).toMatch(/Erlaubt sind/);
  expect(formatProblem("{DD}-{NNNN}")).toMatch(/Platzhalter/);
  expect(formatProblem("VERY-LONG-PREFIX-FOR-NUMBERS-{YYYY}-{NNNN}")).toMatch(/zu lange/);
});

test("number format rules and rendering equal the backend's", () => {
  const formats = [
    "RE-{YYYY}-{NNNN}", "{YY}{MM}/{NNN}", "R{N}", "{NNNNNN}", "RE-{YYYY}", "RE-{NN}-{NN}", "RE {NNNN}", "{DD}-{NNNN}",
    "VERY-LONG-PREFIX-FOR-NUMBERS-{YYYY}-{NNNN}", "A_B.C/D#{NNNN}", "ä{NNNN}", "{yyyy}-{NNNN}", "  RE-{NNNN}  ", "{NNNN}}", "",
  ];
  const cases = formats.map((format, i) => ({ format, date: i % 2 ? "2026-01-05" : "2026-11-26", value: i * 37 + 1 }));
  const backend = runBackendScript<{ valid: boolean; rendered: string | null }[]>(path.join(__dirname, "backend_numbering.py"), cases);
  cases.forEach((c, i) => {
    const valid = formatProblem(c.format) === null;
    expect(valid, `valid? ${JSON.stringify(c.format)}`).toBe(backend[i]!.valid);
    if (valid) expect(renderNumber(c.format.trim(), c.date, c.value)).toBe(backend[i]!.rendered);
  });
});
