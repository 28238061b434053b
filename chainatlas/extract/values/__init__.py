"""Value normalisers: money, quantities, time expressions, stock codes, numerals.

Pure functions over a sentence or a whole text, each a single regex pass. They accept the
original text or its normalised copy (full-width digits are read in place), and return
exact character offsets, sorted and non-overlapping.

    find_money(text)                      -> [(start, end, Money)]
    parse_money(s)                        -> Money | None
    find_quantities(text)                 -> [(start, end, Quantity)]
    find_dates(text, published=date(..)) -> [(start, end, DateValue)]
    find_stock_codes(text)                -> [(start, end, code, exchange)]
    cn_to_number(s) / parse_number(s)     -> float | None

The rules chosen for vague amounts live in `_amount`, for dates in `time_expr`.
"""

from chainatlas.extract.values.money import find_money, parse_money
from chainatlas.extract.values.numbers import cn_to_number, parse_number
from chainatlas.extract.values.quantity import find_quantities
from chainatlas.extract.values.stock import exchange_of, find_stock_codes
from chainatlas.extract.values.time_expr import find_dates

__all__ = [
    "cn_to_number",
    "exchange_of",
    "find_dates",
    "find_money",
    "find_quantities",
    "find_stock_codes",
    "parse_money",
    "parse_number",
]
