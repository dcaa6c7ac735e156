"""Pydantic field types shared by the API schemas (money as "119.00" strings, etc.)."""

from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer, WithJsonSchema

from app.kit.money import fmt_amount, fmt_quantity

MoneyOut = Annotated[
    Decimal,
    PlainSerializer(fmt_amount, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["119.00"]}, mode="serialization"),
]
DecimalOut = Annotated[
    Decimal,
    PlainSerializer(fmt_quantity, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "examples": ["1.5"]}, mode="serialization"),
]
