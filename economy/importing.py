"""Reading an uploaded or given economy file: SIE or CSV, one interface for both."""

from dataclasses import dataclass

from .csvfile import CsvFile, looks_like_csv, parse_csv, summarise_csv
from .sie import SieFile, parse, summarise


@dataclass
class Parsed:
    sie: SieFile | None = None
    csv: CsvFile | None = None

    def summary(self) -> dict:
        return summarise(self.sie) if self.sie is not None else summarise_csv(self.csv)


def read_file(data: bytes) -> Parsed:
    """The file parsed; raises ``SieError`` (with line numbers) for anything malformed."""
    if looks_like_csv(data):
        return Parsed(csv=parse_csv(data))
    return Parsed(sie=parse(data))
