"""Turn the bytes a Windows or Linux tool printed into clean text.

``wsl.exe`` writes UTF-16LE without a byte order mark unless ``WSL_UTF8=1``
is set, and some of its strings end in CR CR LF. Pastes from bug reports add
their own damage: UTF-16 read one byte at a time shows up as
``W S L  v e r s i o n``. Every parser starts from the text these helpers
return, so they must accept anything and never raise.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: How many leading bytes to inspect when guessing a byte-order-less UTF-16.
_SNIFF_BYTES = 4096

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")

#: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST) and two-byte ESC sequences.
_ANSI_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from a tool's output, with how it was decoded."""

    text: str
    encoding: str
    replaced: bool
    """True when some bytes could not be decoded and became U+FFFD."""


def _normalise(text: str) -> str:
    """Drop every CR and stray NUL; wsl.exe ends lines in CR CR LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r", "").replace("\x00", "")


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 from where the NUL bytes sit (ASCII text has one per pair)."""
    sample = data[:_SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls >= max(1, pairs // 5) and even_nuls * 4 <= odd_nuls:
        return "utf-16-le"
    if even_nuls >= max(1, pairs // 5) and odd_nuls * 4 <= even_nuls:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str) -> tuple[str, bool]:
    """Decode strictly if possible, otherwise with replacement characters."""
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True


def decode_output(data: bytes | bytearray | memoryview | str) -> DecodedText:
    """Decode command output of unknown encoding into normalised text.

    Order: byte order marks, UTF-16 by NUL pattern, strict UTF-8, UTF-8 with
    replacements when the bytes are mostly UTF-8, Shift-JIS or GBK when every
    non-ASCII character decodes as Japanese or Chinese, else cp1252.
    """
    if isinstance(data, str):
        return DecodedText(_normalise(data), "str", False)
    try:
        raw = bytes(data)
    except (TypeError, ValueError):
        return DecodedText("", "none", False)

    if raw.startswith(codecs.BOM_UTF8):
        text, replaced = _decode(raw[3:], "utf-8")
        return DecodedText(_normalise(text), "utf-8-sig", replaced)
    if raw.startswith(codecs.BOM_UTF16_LE):
        text, replaced = _decode(raw[2:], "utf-16-le")
        return DecodedText(_normalise(text), "utf-16-le", replaced)
    if raw.startswith(codecs.BOM_UTF16_BE):
        text, replaced = _decode(raw[2:], "utf-16-be")
        return DecodedText(_normalise(text), "utf-16-be", replaced)

    utf16 = _utf16_without_bom(raw)
    if utf16:
        text, replaced = _decode(raw, utf16)
        return DecodedText(_normalise(text), utf16, replaced)

    try:
        return DecodedText(_normalise(raw.decode("utf-8")), "utf-8", False)
    except UnicodeDecodeError:
        pass

    # Mostly valid UTF-8 with a few broken bytes (a cut-off tail, a bad
    # paste) keeps its non-ASCII text. A Chinese or Japanese Windows writes
    # its console and log text in GBK or Shift-JIS; anything else is taken
    # as the Western Windows code page.
    utf8_text = raw.decode("utf-8", errors="replace")
    good = len(_UTF8_MULTIBYTE.findall(raw))
    if good and utf8_text.count("\ufffd") * 10 <= good:
        return DecodedText(_normalise(utf8_text), "utf-8", True)
    east_asian = _east_asian_code_page(raw)
    if east_asian is not None:
        encoding, text = east_asian
        return DecodedText(_normalise(text), encoding, False)
    if good:
        return DecodedText(_normalise(utf8_text), "utf-8", True)
    text, replaced = _decode(raw, "cp1252")
    return DecodedText(_normalise(text), "cp1252", replaced)


#: Every byte above ASCII paired as a GB2312 character (both bytes A1-FE);
#: Latin text in cp1252 puts a lone accented byte next to ASCII letters.
_GB2312_PAIRS = re.compile(rb"(?:[\x00-\x7f]|[\xa1-\xf7][\xa1-\xfe])*")


def _share(text: str, ranges: tuple[tuple[str, str], ...]) -> tuple[int, int]:
    """Count non-ASCII characters, and those inside ``ranges``."""
    outside = [char for char in text if ord(char) > 0x7F]
    inside = sum(1 for char in outside for low, high in ranges if low <= char <= high)
    return len(outside), inside


_CJK = (("\u3000", "\u303f"), ("\u4e00", "\u9fff"), ("\uff00", "\uffef"))
_KANA = (("\u3040", "\u30ff"),)


def _east_asian_code_page(raw: bytes) -> tuple[str, str] | None:
    """Return ``(encoding, text)`` for Shift-JIS or GBK bytes, else None.

    Only a strict decode whose every non-ASCII character is Japanese or
    Chinese counts; Japanese must contain kana, which Chinese never does.
    """
    try:
        japanese = raw.decode("cp932")
    except UnicodeDecodeError:
        japanese = None
    if japanese is not None:
        total, inside = _share(japanese, (*_CJK, *_KANA))
        if total >= 2 and inside == total and _share(japanese, _KANA)[1]:
            return "cp932", japanese
    if _GB2312_PAIRS.fullmatch(raw) is None:
        return None
    try:
        chinese = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    total, inside = _share(chinese, _CJK)
    if total >= 2 and inside == total:
        return "gbk", chinese
    return None


def _spaced_offset(line: str) -> int | None:
    """Return 0 or 1 if every other character from there on is a space."""
    for offset in (0, 1):
        body = line[offset:]
        if len(body) < 3:
            continue
        if offset and line[0] != " ":
            continue
        odd = body[1::2]
        if odd.strip(" ") == "" and body[0::2].strip(" "):
            return offset
    return None


def undo_spaced_utf16(text: str) -> str:
    """Undo UTF-16 that was read as single bytes, its NULs shown as spaces.

    ``W i n d o w s   S u b s y s t e m`` becomes ``Windows Subsystem``. The
    text is only changed when most of its non-blank lines have that shape, so
    ordinary text with a few spaced words is left alone. Blank lines that the
    damage added stay; every parser skips blank lines.
    """
    if not isinstance(text, str):
        return ""
    lines = text.split("\n")
    candidates = [line.rstrip("\t") for line in lines if line.strip()]
    if not candidates:
        return text
    offsets = [_spaced_offset(line) for line in candidates]
    spaced = sum(1 for offset in offsets if offset is not None)
    long_spaced = any(
        offset is not None and len(line.strip()) >= 9
        for line, offset in zip(candidates, offsets, strict=True)
    )
    if not long_spaced or spaced * 5 < len(candidates) * 3:
        return text

    repaired: list[str] = []
    for line in lines:
        offset = _spaced_offset(line) if line.strip() else None
        repaired.append(line if offset is None else line[offset::2].rstrip(" "))
    return "\n".join(repaired)


def _visible(match: re.Match[str]) -> str:
    """Show a lone control character as a Unicode control picture."""
    char = match.group()
    code = ord(char)
    if char == "\r":
        return ""
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def strip_ansi_and_controls(text: str) -> str:
    """Remove terminal escape sequences and make other control bytes visible.

    Colour codes from ``docker`` or ``systemctl`` carry no meaning for a
    parser, and a raw control byte copied into the TUI could move the cursor.
    Tabs and newlines are kept; CR is dropped.
    """
    if not isinstance(text, str):
        return ""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI_SEQUENCE.sub("", text)
    return _OTHER_CONTROLS.sub(_visible, text)


def prepare_text(text: str | bytes | bytearray | memoryview) -> str:
    """The common first step of every parser: decode, clean, repair spacing."""
    if not isinstance(text, str):
        text = decode_output(text).text
    text = strip_ansi_and_controls(_normalise(text))
    return undo_spaced_utf16(text)


def text_lines(text: str | bytes | bytearray | memoryview) -> list[str]:
    """Prepared text split into lines, trailing spaces removed."""
    if not isinstance(text, str | bytes | bytearray | memoryview):
        return []
    return [line.rstrip() for line in prepare_text(text).split("\n")]
