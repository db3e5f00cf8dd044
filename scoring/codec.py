"""A compact, exact encoding of one answer set for one questionnaire version.

Stored assessments keep their answers in two parts:

- ``packed`` (bytes): one item per question, in the questionnaire's order, as its type packs
  it (``scoring.questions``: ``pack``/``unpack``): an option's index, a multi answer's ticked
  options as a bit set, a matrix's rows as option indices, a number as a number; ``na`` and
  "not here" as their own marks. Unsigned LEB128 varints; signed integers zigzag-encoded; a
  non-integer number as an 8-byte IEEE double (``scoring.packing``). About one byte per
  question for a typical answer set.
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

from typing import Any

from scoring.engine import NA
from scoring.model import QuestionBase, Questionnaire
from scoring.packing import ABSENT, FLOAT, FORMAT, IS_NA, VALUE, CodecError


class AnswerCodec:
    """Encoder and decoder for one questionnaire version (build with ``codec_for``)."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire_id = questionnaire.id
        self.version = questionnaire.version
        self.content_hash = questionnaire.content_hash
        self.questions: list[QuestionBase] = [q for _, q in questionnaire.questions()]
        # each question's option ids and their positions, worked out once per version
        self._option_ids: dict[str, list[str]] = {q.id: q.option_ids() for q in self.questions}
        self._option_index = {qid: {oid: i for i, oid in enumerate(ids)} for qid, ids in self._option_ids.items()}

    # ------------------------------------------------------------ encode

    def _item(self, q: QuestionBase, value: Any, out: bytearray) -> bool:
        """Append the packed item of a present answer; False when it belongs in ``extra``."""
        if isinstance(value, str) and value == NA:
            out.append(IS_NA)
            return True
        return q.pack(value, out, self._option_index[q.id])

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
                if mark not in (VALUE, FLOAT):
                    raise CodecError(f"unknown mark {mark} for question {q.id!r}")
                answers[q.id], pos = q.unpack(mark, packed, pos, self._option_ids[q.id])
            if pos != len(packed):
                raise CodecError(f"{len(packed) - pos} bytes left over: not {self.questionnaire_id} v{self.version}?")
        if extra:
            answers.update(extra)
        return answers


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
