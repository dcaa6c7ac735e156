"""German names for the UN/ECE Recommendation 20/21 unit codes (BT-130) we print.

The XML carries the code; a person reads "Std." or "pauschal". Codes we have no name for
are shown as they are, which is still correct, only less friendly.
"""

UNIT_NAMES_DE: dict[str, str] = {
    # pieces
    "C62": "Stk.",  # "one", the default unit
    "H87": "Stk.",  # piece
    "XPP": "Stk.",  # piece (Rec. 21 package code)
    "EA": "Stk.",  # each
    "SET": "Set",
    "PR": "Paar",
    "XPK": "Pkg.",  # package
    "XBX": "Karton",
    "XPX": "Palette",
    "LS": "pauschal",  # lump sum
    "E48": "Leistung",  # service unit
    "P1": "%",
    # time
    "SEC": "Sek.",
    "MIN": "Min.",
    "HUR": "Std.",
    "DAY": "Tag(e)",
    "WEE": "Woche(n)",
    "MON": "Monat(e)",
    "QAN": "Quartal(e)",
    "ANN": "Jahr(e)",
    # mass
    "GRM": "g",
    "KGM": "kg",
    "TNE": "t",
    # length, area, volume
    "MMT": "mm",
    "CMT": "cm",
    "MTR": "m",
    "KMT": "km",
    "MTK": "m²",
    "MTQ": "m³",
    "MLT": "ml",
    "LTR": "l",
    # energy and data
    "KWH": "kWh",
    "MWH": "MWh",
    "KWT": "kW",
    "E34": "GB",
    "E35": "TB",
    "AD": "Byte",
}


def unit_name_de(code: str) -> str:
    return UNIT_NAMES_DE.get(code.strip().upper(), code)
