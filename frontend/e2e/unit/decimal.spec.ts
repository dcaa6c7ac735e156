import { expect, test } from "@playwright/test";
import { divRoundHalfUp, fromScaled, parseUserDecimal, toInputDecimal, toScaled } from "../../lib/decimal";
import { lineNet } from "../../lib/totals";

test("scaled integers round-trip", () => {
  expect(toScaled("1.5", 4)).toBe(15000n);
  expect(toScaled("-0.0001", 4)).toBe(-1n);
  expect(toScaled("19.000", 2)).toBe(1900n);
  expect(() => toScaled("1.00001", 4)).toThrow();
  expect(fromScaled(15000n, 4)).toBe("1.5000");
  expect(fromScaled(-5n, 2)).toBe("-0.05");
  expect(fromScaled(0n, 2)).toBe("0.00");
});

test("rounding is half away from zero, like Python's ROUND_HALF_UP", () => {
  expect(divRoundHalfUp(5n, 10n)).toBe(1n);
  expect(divRoundHalfUp(4n, 10n)).toBe(0n);
  expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
  expect(divRoundHalfUp(-4n, 10n)).toBe(0n);
  expect(divRoundHalfUp(25n, 10n)).toBe(3n); // not banker's rounding
  expect(lineNet("1", "1.005")).toBe("1.01");
  expect(lineNet("3", "0.335")).toBe("1.01");
});

test("what people type becomes an API decimal", () => {
  const qty = (s: string) => parseUserDecimal(s, { maxScale: 4, allowNegative: true });
  expect(qty("1,5")).toEqual({ ok: true, value: "1.5" });
  expect(qty("1.234,56")).toEqual({ ok: true, value: "1234.56" });
  expect(qty("1.000.000")).toEqual({ ok: true, value: "1000000" });
  expect(qty("2.5")).toEqual({ ok: true, value: "2.5" });
  expect(qty(" 95,00 € ")).toEqual({ ok: true, value: "95.00" });
  expect(qty("-1")).toEqual({ ok: true, value: "-1" });
  expect(qty("1,00000")).toEqual({ ok: true, value: "1.0000" });
  expect(qty("1,23456").ok).toBe(false);
  expect(qty("").ok).toBe(false);
  expect(qty("abc").ok).toBe(false);
  expect(parseUserDecimal("-1", { maxScale: 4 }).ok).toBe(false);
  expect(parseUserDecimal("19 %", { maxScale: 2 })).toEqual({ ok: true, value: "19" });
});

test("API decimals prefill inputs in German notation", () => {
  expect(toInputDecimal("95.0000", 2)).toBe("95,00");
  expect(toInputDecimal("1.5000")).toBe("1,5");
  expect(toInputDecimal("12")).toBe("12");
  expect(toInputDecimal("0.1250", 2)).toBe("0,125");
});
