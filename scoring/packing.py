"""The bytes of packed answers (``scoring.codec``): per-question marks, unsigned LEB128 varints,
zigzag-encoded signed integers and 8-byte IEEE doubles. Each question type packs its own
answers with these (``scoring.questions``); the codec walks the questionnaire.
"""

from __future__ import annotations

import struct

FORMAT = 1  # the first byte of every packed answer set

# per-question marks; a value item is VALUE + payload
ABSENT = 0  # not answered here (absent, or kept in ``extra``)
IS_NA = 1  # "na": not applicable
VALUE = 2  # an option index / bit set / integer / matrix marker
FLOAT = 3  # number questions only: 8 bytes of IEEE double follow

DOUBLE = struct.Struct("<d")


class CodecError(ValueError):
    """Packed answers that do not fit this questionnaire version (wrong version or damaged)."""


def put(out: bytearray, value: int) -> None:
    """Append an unsigned varint."""
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def get(data: bytes, pos: int) -> tuple[int, int]:
    """An unsigned varint at ``pos``, and the position after it."""
    value = shift = 0
    while True:
        if pos >= len(data):
            raise CodecError("packed answers end in the middle of a number")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def unzigzag(z: int) -> int:
    return z // 2 if z % 2 == 0 else -(z + 1) // 2


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def expect_value(mark: int, qid: str) -> None:
    """Only a number question packs a double (``FLOAT``); any other mark there is damage."""
    if mark != VALUE:
        raise CodecError(f"unknown mark {mark} for question {qid!r}")


def option_at(qid: str, ids: list[str], i: int) -> str:
    """The option id at index ``i`` of a question's options (damaged data: ``CodecError``)."""
    if i >= len(ids):
        raise CodecError(f"question {qid!r}: option index {i} past the last ({len(ids)} options)")
    return ids[i]
