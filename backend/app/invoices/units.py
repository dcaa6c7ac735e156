"""Units of measure (UN/ECE Recommendation 20/21 codes, BT-130) that sellers can pick, with
the German labels shown on the PDF, in the web app and on the portal.

XRechnung accepts the whole Rec. 20 list, but an unknown code is only a warning there
(BR-CL-23), so the API accepts just these: every invoice stays readable for a person as well
as valid for a machine. One list for the API, the PDF and (mirrored) the web app.
"""

UNITS: dict[str, tuple[str, str]] = {
    # code: (short label for documents and tables, long label for pickers)
    # pieces
    "C62": ("Stk.", "Stück"),
    "H87": ("Stk.", "Stück (Teil)"),
    "XPP": ("Stk.", "Stück (Packung)"),
    "EA": ("Stk.", "Einheit"),
    "SET": ("Set", "Set"),
    "PR": ("Paar", "Paar"),
    "XPK": ("Pkg.", "Paket"),
    "XBX": ("Karton", "Karton"),
    "XPX": ("Palette", "Palette"),
    "LS": ("pauschal", "Pauschale"),
    "E48": ("Leistung", "Serviceeinheit"),
    "P1": ("%", "Prozent"),
    # time
    "SEC": ("Sek.", "Sekunde"),
    "MIN": ("Min.", "Minute"),
    "HUR": ("Std.", "Stunde"),
    "DAY": ("Tag(e)", "Tag"),
    "WEE": ("Woche(n)", "Woche"),
    "MON": ("Monat(e)", "Monat"),
    "QAN": ("Quartal(e)", "Quartal"),
    "ANN": ("Jahr(e)", "Jahr"),
    # mass
    "GRM": ("g", "Gramm"),
    "KGM": ("kg", "Kilogramm"),
    "TNE": ("t", "Tonne"),
    # length, area, volume
    "MMT": ("mm", "Millimeter"),
    "CMT": ("cm", "Zentimeter"),
    "MTR": ("m", "Meter"),
    "KMT": ("km", "Kilometer"),
    "MTK": ("m²", "Quadratmeter"),
    "MTQ": ("m³", "Kubikmeter"),
    "MLT": ("ml", "Milliliter"),
    "LTR": ("l", "Liter"),
    # energy and data
    "KWH": ("kWh", "Kilowattstunde"),
    "MWH": ("MWh", "Megawattstunde"),
    "KWT": ("kW", "Kilowatt"),
    "E34": ("GB", "Gigabyte"),
    "E35": ("TB", "Terabyte"),
    "AD": ("Byte", "Byte"),
}


def unit_label(code: str) -> str:
    """Short German label; a code we have no name for is shown as it is."""
    return UNITS.get(code.strip().upper(), (code, code))[0]
