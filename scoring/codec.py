"""A compact, exact encoding of one answer set for one questionnaire version.

Stored assessments keep their answers in two parts:

- ``packed`` (bytes): one item per question, in the questionnaire's order: an option's
  index, a multi answer's ticked options as a bit set, a matrix's rows as option indices, a
  number as a number, ``na`` and "not here" as their own marks. Unsigned LEB128 varints;
  signed integers zigzag-encoded; a non-integer number as an 8-byte IEEE double. About one
  byte per question for a typical answer set.
- ``extra`` (a JSON-able dict, usually empty): everything the packed part does not hold as
  it was given — free text (kept apart: it may name people, and it is the only part that is
  not a choice), a multi answer not in option order, an answer that is not one of the
  question's values (a stale answer on a hidden question is kept but never validated), an
  unknown key of a draft.

``decode(encode(answers)) == answers`` for every answer set whose values are JSON values
(a property test proves it for every question type). Decoding needs the *same* questionnaire
version the answers were encoded with: option indices mean nothing without it, which is why
the store keeps each version's content (store/questionnaires.py).

Pure: no database, no Streamlit.
"""

from __future__ import annotations

import struct
from typing import Any

from scoring.engine import NA
from scoring.model import (
    MatrixQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    TextQuestion,
)

FORMAT = 1  # the first byte of every packed answer set

# per-question marks; a value item is VALUE + payload
ABSENT = 0  # not answered here (absent, or kept in ``extra``)
IS_NA = 1  # "na": not applicable
VALUE = 2  # an option index / bit set / integer / matrix marker
FLOAT = 3  # number questions only: 8 bytes of IEEE double follow

_DOUBLE = struct.Struct("<d")


class CodecError(ValueError):
    """Packed answers that do not fit this questionnaire version (wrong version or damaged)."""


def _put(out: bytearray, value: int) -> None:
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def _get(data: bytes, pos: int) -> tuple[int, int]:
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


def _zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def _unzigzag(z: int) -> int:
    return z // 2 if z % 2 == 0 else -(z + 1) // 2


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class AnswerCodec:
    """Encoder and decoder for one questionnaire version (build with ``codec_for``)."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire_id = questionnaire.id
        self.version = questionnaire.version
        self.content_hash = questionnaire.content_hash
        self.questions: list[Question] = [q for _, q in questionnaire.questions()]
        self._option_index: dict[str, dict[str, int]] = {}
        self._option_ids: dict[str, list[str]] = {}
        self._rows: dict[str, list[str]] = {}
        for q in self.questions:
            ids = [o.id for o in getattr(q, "options", ())]
            self._option_ids[q.id] = ids
            self._option_index[q.id] = {oid: i for i, oid in enumerate(ids)}
            if isinstance(q, MatrixQuestion):
                self._rows[q.id] = [r.id for r in q.rows]

    # ------------------------------------------------------------ encode

    def _item(self, q: Question, value: Any, out: bytearray) -> bool:
        """Append the packed item of a present answer; False when it belongs in ``extra``."""
        if isinstance(value, str) and value == NA:
            out.append(IS_NA)
            return True
        if isinstance(q, TextQuestion):
            return False
        if isinstance(q, (ScaleQuestion, NumberQuestion)):
            if _is_int(value):
                out.append(VALUE)
                _put(out, _zigzag(value))
                return True
            if isinstance(q, NumberQuestion) and isinstance(value, float):
                out.append(FLOAT)
                out += _DOUBLE.pack(value)
                return True
            return False
        index = self._option_index[q.id]
        if isinstance(q, MultiQuestion):
            if not isinstance(value, list) or not all(isinstance(v, str) and v in index for v in value):
                return False
            positions = [index[v] for v in value]
            if positions != sorted(set(positions)):  # duplicates or not in option order: keep as given
                return False
            mask = 0
            for p in positions:
                mask |= 1 << p
            out.append(VALUE)
            _put(out, mask)
            return True
        if isinstance(q, MatrixQuestion):
            rows = self._rows[q.id]
            if (
                not isinstance(value, dict)
                or list(value) != rows
                or not all(isinstance(v, str) and v in index for v in value.values())
            ):
                return False
            out.append(VALUE)
            for row in rows:
                _put(out, index[value[row]])
            return True
        if isinstance(value, str) and value in index:  # single, yesno
            out.append(VALUE)
            _put(out, index[value])
            return True
        return False

    def encode(self, answers: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        """``(packed, extra)``: ``extra`` holds what the packed part does not (often nothing)."""
        out = bytearray([FORMAT])
        extra: dict[str, Any] = {}
        known = set()
        for q in self.questions:
            known.add(q.id)
            if q.id not in answers:
                out.append(ABSENT)
                continue
            value = answers[q.id]
            if not self._item(q, value, out):
                out.append(ABSENT)
                extra[q.id] = value
        for key, value in answers.items():
            if key not in known:
                extra[key] = value
        return bytes(out), extra

    # ------------------------------------------------------------ decode

    def decode(self, packed: bytes | None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        if packed:
            if packed[0] != FORMAT:
                raise CodecError(f"packed answers in format {packed[0]}; this code reads format {FORMAT}")
            pos = 1
            for q in self.questions:
                if pos >= len(packed):
                    raise CodecError(
                        f"packed answers end before question {q.id!r}: not {self.questionnaire_id} v{self.version}?"
                    )
                mark = packed[pos]
                pos += 1
                if mark == ABSENT:
                    continue
                if mark == IS_NA:
                    answers[q.id] = NA
                    continue
                if mark == FLOAT:
                    if pos + 8 > len(packed):
                        raise CodecError(f"packed answers end inside the number of {q.id!r}")
                    answers[q.id] = _DOUBLE.unpack_from(packed, pos)[0]
                    pos += 8
                    continue
                if mark != VALUE:
                    raise CodecError(f"unknown mark {mark} for question {q.id!r}")
                answers[q.id], pos = self._value(q, packed, pos)
            if pos != len(packed):
                raise CodecError(f"{len(packed) - pos} bytes left over: not {self.questionnaire_id} v{self.version}?")
        if extra:
            answers.update(extra)
        return answers

    def _value(self, q: Question, packed: bytes, pos: int) -> tuple[Any, int]:
        if isinstance(q, (ScaleQuestion, NumberQuestion)):
            z, pos = _get(packed, pos)
            return _unzigzag(z), pos
        ids = self._option_ids[q.id]
        if isinstance(q, MatrixQuestion):
            value = {}
            for row in self._rows[q.id]:
                i, pos = _get(packed, pos)
                value[row] = self._option(q, ids, i)
            return value, pos
        n, pos = _get(packed, pos)
        if isinstance(q, MultiQuestion):
            if n >> len(ids):
                raise CodecError(f"question {q.id!r}: bit set names an option past the last")
            return [ids[i] for i in range(len(ids)) if n >> i & 1], pos
        return self._option(q, ids, n), pos

    @staticmethod
    def _option(q: Question, ids: list[str], i: int) -> str:
        if i >= len(ids):
            raise CodecError(f"question {q.id!r}: option index {i} past the last ({len(ids)} options)")
        return ids[i]


_codecs: dict[tuple[str, str, str], AnswerCodec] = {}
_MAX_CACHED = 64


def codec_for(questionnaire: Questionnaire) -> AnswerCodec:
    """The codec of a questionnaire version (cached by id, version and content hash: building
    one walks every question; the models are not hashable)."""
    key = (questionnaire.id, questionnaire.version, questionnaire.content_hash)
    found = _codecs.get(key)
    if found is None or not questionnaire.content_hash:
        found = AnswerCodec(questionnaire)
        if questionnaire.content_hash:  # an unhashed model (built by hand) is not cached
            if len(_codecs) >= _MAX_CACHED:
                _codecs.pop(next(iter(_codecs)))
            _codecs[key] = found
    return found


def encode_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    return codec_for(questionnaire).encode(answers)


def decode_answers(questionnaire: Questionnaire, packed: bytes | None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return codec_for(questionnaire).decode(packed, extra)


__all__ = ["AnswerCodec", "CodecError", "codec_for", "decode_answers", "encode_answers"]
