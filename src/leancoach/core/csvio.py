"""Reading CSV uploads the same way everywhere: UTF-8 with or without BOM, comma or
semicolon, a header row, and every problem reported with its line and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    """The file has problems; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the file; nothing was imported.")


@dataclass
class CsvRow:
    line: int  # where the row starts in the file, counting the header as line 1
    values: dict[str, str]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRejected(
            [RowError(line, "", "the file is not UTF-8 text (save it as CSV UTF-8 and try again)")]
        ) from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_table(
    data: bytes, *, required: Sequence[str], known: Sequence[str]
) -> tuple[list[str], list[CsvRow], list[RowError]]:
    """The header's column names, the non-blank rows, and the row-level problems found.

    Header problems (unknown, missing or repeated columns) raise ImportRejected at once.
    """
    text = decode(data)
    errors: list[RowError] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(
            [RowError(1, "", "the file is empty; it needs a header row")]
        ) from None
    except csv.Error as error:
        raise ImportRejected(
            [RowError(1, "", f"the header row is not valid CSV: {error}")]
        ) from None
    columns = [name.strip().lower() for name in header]
    for name in columns:
        if name not in known:
            errors.append(
                RowError(
                    1, name or "(blank)", f"unknown column; known columns are {', '.join(known)}"
                )
            )
    for name in required:
        if name not in columns:
            errors.append(RowError(1, name, "required column is missing from the header row"))
    for name in sorted({name for name in columns if columns.count(name) > 1}):
        errors.append(RowError(1, name, "column appears more than once"))
    if errors:
        raise ImportRejected(errors)

    rows: list[CsvRow] = []
    previous_end = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(previous_end + 1, "", f"not valid CSV: {error}"))
            break
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            errors.append(
                RowError(line, "", f"expected {len(columns)} fields, found {len(record)}")
            )
            continue
        rows.append(
            CsvRow(
                line=line,
                values={name: cell.strip() for name, cell in zip(columns, record, strict=True)},
            )
        )
    return columns, rows, errors
