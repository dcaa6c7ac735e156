"""Units of measure (UN/ECE Recommendation 20/21 codes) that sellers can pick, with the
German label shown on the PDF, in the web app and on the portal.

XRechnung accepts the whole Rec. 20 list; we offer the codes small businesses use, so every
invoice stays readable for a person as well as for a machine.
"""

UNITS: dict[str, tuple[str, str]] = {
    # code: (short label for tables, long label for pickers)
    "C62": ("Stk.", "Stück"),
    "H87": ("Stk.", "Stück (Teil)"),
    "XPP": ("Stk.", "Stück (Packung)"),
    "EA": ("Stk.", "Einheit"),
    "SET": ("Set", "Set"),
    "PR": ("Paar", "Paar"),
    "LS": ("pauschal", "Pauschale"),
    "HUR": ("Std.", "Stunde"),
    "MIN": ("Min.", "Minute"),
    "DAY": ("Tag", "Tag"),
    "WEE": ("Woche", "Woche"),
    "MON": ("Monat", "Monat"),
    "ANN": ("Jahr", "Jahr"),
    "KGM": ("kg", "Kilogramm"),
    "GRM": ("g", "Gramm"),
    "TNE": ("t", "Tonne"),
    "LTR": ("l", "Liter"),
    "MLT": ("ml", "Milliliter"),
    "MTQ": ("m³", "Kubikmeter"),
    "MTR": ("m", "Meter"),
    "CMT": ("cm", "Zentimeter"),
    "KMT": ("km", "Kilometer"),
    "MTK": ("m²", "Quadratmeter"),
    "KWH": ("kWh", "Kilowattstunde"),
    "KWT": ("kW", "Kilowatt"),
    "E48": ("Leistung", "Serviceeinheit"),
    "P1": ("%", "Prozent"),
}


def unit_label(code: str) -> str:
    return UNITS.get(code, (code, code))[0]
