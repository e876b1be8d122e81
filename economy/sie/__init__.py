"""SIE 4B text files (types 1-4): ``parse`` bytes into a ``SieFile``, ``summarise`` it."""

from .parser import Balance, Dimension, SieError, SieFile, Transaction, format_error, parse
from .summary import money, summarise, year_rows

__all__ = [
    "Balance",
    "Dimension",
    "SieError",
    "SieFile",
    "Transaction",
    "format_error",
    "money",
    "parse",
    "summarise",
    "year_rows",
]
