"""Replace personal details with placeholders that stay the same everywhere.

What is replaced, in this order (an earlier kind wins where two overlap):
secrets after a key (``password=…``, ``"sessionID":"…"``, ``Bearer …``, the
user part of a URL), tokens with a known prefix, e-mail addresses, the user,
host and domain names found on the machine and the terms the user asked for,
GUIDs, long hex and base64 strings, MAC addresses, IPv6 and IPv4 addresses.

The same original always gets the same placeholder (``alice`` and ``ALICE``
are one name), so a redacted path still names the folder the redacted listing
shows, and two log lines about one address still agree. Placeholders are
chosen so that no later pass takes them for a secret: documentation
addresses (RFC 5737, RFC 3849, RFC 7042), ``example.invalid``, ``<token-N>``.

Version numbers are not addresses: ``2.5.4.0`` after ``WSL version:``, a
kernel release ``6.6.75.1-microsoft-standard-WSL2`` or a bare ``2.5.4.0``
line stay as they are.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from wslwizard.probes.parse.text import decode_output


def _words(text: str) -> list[str]:
    """Whitespace-separated words: long word lists stay readable."""
    return text.split()


# -- categories ------------------------------------------------------------

USER, HOST, EMAIL, IPV4, IPV6, MAC, TOKEN, TERM = (
    "user",
    "host",
    "email",
    "ipv4",
    "ipv6",
    "mac",
    "token",
    "term",
)
CATEGORIES = (TERM, USER, HOST, EMAIL, IPV4, IPV6, MAC, TOKEN)

#: Names that are common words, or words the diagnosis itself reads (paths,
#: log signatures): replacing them everywhere would hide nothing personal and
#: break the replay. They are replaced only inside ``/home/NAME`` and
#: ``Users\\NAME``.
COMMON_WORDS = frozenset(
    _words(
        """
        root admin administrator user users guest public default defaultuser0 all
        docker dockerd ubuntu debian kali fedora alpine arch opensuse suse centos wsl
        wslg linux windows host localhost localdomain home test tester nobody system
        local desktop init kernel tun tap dev proc sys run etc lib usr bin sbin mnt tmp
        var opt srv boot net log logs vm appdata microsoft program files rancher podman
        engine daemon service server client version error none null true false unknown
        linuxbrew vagrant pi ec2-user runner build backend frontend com exe wsl2 wsl1
        modules module misc
        """
    )
)
#: Listed under ``C:\\Users`` on every Windows machine; not people.
NOT_PEOPLE = frozenset(
    {"public", "default", "default user", "all users", "desktop.ini", "defaultuser0"}
)
MIN_FREE_TEXT_NAME = 3

# -- patterns --------------------------------------------------------------

_SECRET_KEYS = (
    r"password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|credentials?|authorization|cookie|session[_-]?id|signature"
)
_KEY_VALUE = re.compile(
    r"(?P<key>(?<![\w.-])[\"']?[\w.-]{0,64}(?:" + _SECRET_KEYS + r")[\w.-]{0,64}[\"']?)"
    r"(?P<sep>[ \t]*[:=][ \t]*[\"']?)"
    r"(?P<scheme>(?:Bearer|Basic|Token)[ \t]+)?"
    r"(?P<value>[^\s\"',;&<>(){}\[\]]{3,})",
    re.IGNORECASE,
)
_NOT_SECRET_VALUES = frozenset(
    {"true", "false", "null", "none", "nil", "yes", "no", "required", "set", "unset"}
)
_SCHEMES = frozenset({"bearer", "basic", "token"})
_BEARER = re.compile(
    r"(?P<scheme>\b(?:Bearer|Basic)[ \t]+)(?P<value>[A-Za-z0-9._~+/=-]{8,})",
    re.IGNORECASE,
)
_URL_USERINFO = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)"
    r"(?P<value>[^/\s:@\"']{1,256}(?::[^/\s@\"']{0,256})?)@"
)
_PREFIXED_TOKEN = re.compile(
    r"\b(?:dckr_pat_[A-Za-z0-9_-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|sk-[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+)"
)
_EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]{1,64}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])"
)
_GUID = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
    r"-[0-9A-Fa-f]{12}(?![0-9A-Za-z])"
)
_LONG_RUN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w+/=-])")
_WORD_PIECE = re.compile(r"^(?:[A-Za-z]+\d*|\d+)$")
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_MAC = re.compile(
    r"(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
    r"(?![0-9A-Fa-f:-])"
)
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.%])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?"
    r"(?:%[0-9A-Za-z_.-]+)?(?![\w:])"
)
_IPV4 = re.compile(
    r"(?<![0-9A-Za-z.])(?:\d{1,3}\.){3}\d{1,3}(?![0-9A-Za-z]|\.\w|-[0-9A-Za-z])"
)
#: A version label just before a dotted number: ``WSL version:``,
#: ``Kernelversion:``, ``内核版本：``, ``Версия ядра:`` and the like.
_VERSION_LABEL = re.compile(
    r"(?:version|versi[oó]n|vers[aã]o|versione|wersj|verzi|verze|versie|versio"
    r"|s[uü]r[uü]m|верс|ядр|jądr|版本|バージョン|버전|kernel|noyau|n[uú]cleo"
    r"|build|release|wsl|wslg|dxcore|direct3d|msrdc|docker desktop)"
    r"\w{0,4}[\s:：=|]*$",
    re.IGNORECASE,
)
#: Public build ids (``Git commit: 068a01e…``) are not secrets.
_COMMIT_LABEL = re.compile(r"commit\w*[\s:=]*$", re.IGNORECASE)
_ASCII_RUN = re.compile(r"[\t\n\r\x20-\x7e]{4,}")
_NUL_INTERLEAVED = re.compile(r"(?:[^\x00]\x00){4,}")


@dataclass
class Replacement:
    """One original value and the placeholder it became."""

    category: str
    original: str
    placeholder: str
    count: int = 0

    @property
    def masked(self) -> str:
        """The original with all but its first character hidden, for screens
        that others may see."""
        return self.original[:1] + "…" if len(self.original) > 1 else "…"


@dataclass(frozen=True)
class Names:
    """Names found on the machine, to be replaced wherever they appear."""

    users: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


def _is_protected(name: str) -> bool:
    return len(name) < MIN_FREE_TEXT_NAME or name.casefold() in protected_words()


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """:data:`COMMON_WORDS` and every word of the known problems' log
    signatures, which must survive for the replay to find them."""
    from wslwizard.diagnosis.knowledge import load_knowledge

    words = set(COMMON_WORDS)
    for problem in load_knowledge().problems:
        for signature in problem.signatures:
            words.update(
                w.casefold() for w in re.findall(r"[A-Za-z]{2,}", signature.text)
            )
    return frozenset(words)


def _class_changes(value: str) -> float:
    """How often the kind of character (lower, upper, digit, other) changes
    from one to the next: about 0.65 for random base64, under 0.34 for
    words joined by dashes (``1-microsoft-standard-WSL2``)."""

    def kind(char: str) -> int:
        if char.islower():
            return 0
        if char.isupper():
            return 1
        return 2 if char.isdigit() else 3

    changes = sum(kind(a) != kind(b) for a, b in zip(value, value[1:], strict=False))
    return changes / max(1, len(value) - 1)


def looks_like_token(value: str) -> bool:
    """A long run of letters and digits that is an id or a secret rather
    than words, a path or a row of zeros."""
    body = value.rstrip("=")
    if len(set(body)) < 6:
        return False
    if _HEX.match(body):
        return True
    if body.count("/") >= 3:
        return False
    pieces = [piece for piece in re.split(r"[-_/+]", body) if piece]
    if len(pieces) > 1 and all(
        _WORD_PIECE.match(piece) or len(piece) <= 4 for piece in pieces
    ):
        return False  # words joined up: a file name, a kernel release
    has_digit = any(c.isdigit() for c in body)
    has_letter = any(c.isalpha() for c in body)
    return has_digit and has_letter and _class_changes(body) >= 0.34


def is_version(text: str, start: int, end: int) -> bool:
    """True when the dotted number at ``text[start:end]`` reads as a version:
    a version label just before it, or a bare ``2.5.4.0`` line."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    if _VERSION_LABEL.search(before):
        return True
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    value = text[start:end]
    parts = value.split(".")
    return line.strip() == value and int(parts[0]) <= 9 and parts[-1] == "0"


class Redactor:
    """Replaces personal details in text and bytes, and remembers every
    replacement for the summary.

    Thread-unsafe; one per bundle. ``counting=False`` redacts without adding
    to the counts (for checks that the result is stable).
    """

    def __init__(
        self, names: Names | None = None, extra_terms: Iterable[str] = ()
    ) -> None:
        names = names or Names()
        self.replacements: dict[tuple[str, str], Replacement] = {}
        self._numbers: Counter[str] = Counter()
        self._issued: set[str] = set()
        self.counting = True
        self.kept: list[tuple[str, str]] = []
        """Names found but left as they are (common words, too short), as
        (category, name): shown to the user, who may add them as terms."""

        terms = sorted(
            {t for t in extra_terms if t and t.strip()}, key=len, reverse=True
        )
        free: list[tuple[str, str]] = []
        in_paths: list[str] = []
        exact_hosts: set[str] = set()
        seen: set[str] = {t.casefold() for t in terms}
        for category, values in (
            (USER, names.users),
            (HOST, names.hosts + names.domains),
        ):
            for value in values:
                folded = value.casefold()
                if not value or folded in seen:
                    continue
                seen.add(folded)
                if _is_protected(value):
                    self.kept.append((category, value))
                    if category == USER:
                        in_paths.append(value)
                    else:
                        exact_hosts.add(folded)
                else:
                    free.append((category, value))
        self._category_of: dict[str, str] = {t.casefold(): TERM for t in terms}
        self._category_of.update({v.casefold(): c for c, v in free})
        self._domains = {d.casefold() for d in names.domains}

        self._names: re.Pattern[str] | None = None
        alternatives = [re.escape(t) for t in terms]
        words = sorted((v for _, v in free), key=len, reverse=True)
        if words:
            alternatives.append(
                r"(?:(?<![^\W_])|(?<=%5[cC])|(?<=%2[fF]))(?:"
                + "|".join(re.escape(w) for w in words)
                + r")(?![^\W_])"
            )
        if alternatives:
            self._names = re.compile("|".join(alternatives), re.IGNORECASE)
        self._path_names: re.Pattern[str] | None = None
        if in_paths:
            self._path_names = re.compile(
                r"(?P<prefix>/home/|Users(?:\\\\|[/\\]))(?P<name>"
                + "|".join(
                    re.escape(n) for n in sorted(in_paths, key=len, reverse=True)
                )
                + r")(?![^\W_]|[ .-][^\W_])",
                re.IGNORECASE,
            )
        self._user_in_path = {n.casefold() for n in in_paths}
        self._exact_hosts = exact_hosts

    def exact_name(self, value: str) -> str | None:
        """The placeholder when ``value`` is exactly a user, host or domain
        name found on the machine, even one too short for free text
        (``USER=jd``); None otherwise."""
        folded = value.strip().casefold()
        if folded in self._user_in_path:
            return self.placeholder(USER, value.strip())
        if folded in self._exact_hosts:
            kind = "domain" if folded in self._domains else HOST
            return self.placeholder(HOST, value.strip(), kind)
        category = self._category_of.get(folded)
        if category in (USER, HOST):
            return self._name_placeholder(value.strip())
        return None

    # -- placeholders ----------------------------------------------------

    def placeholder(self, category: str, original: str, kind: str = "") -> str:
        """The placeholder for ``original``, the same every time."""
        if original.casefold() in self._issued:
            return original  # already a placeholder: redacting twice is a no-op
        key = (category, _normal_key(category, original))
        known = self.replacements.get(key)
        if known is None:
            self._numbers[kind or category] += 1
            number = self._numbers[kind or category]
            known = Replacement(
                category, original, _make_placeholder(kind or category, number)
            )
            self.replacements[key] = known
            self._issued.add(known.placeholder.casefold())
        if self.counting:
            known.count += 1
        return known.placeholder

    # -- text ------------------------------------------------------------

    def text(self, value: str) -> str:
        """``value`` with every personal detail replaced."""
        if not value:
            return value
        if "\x00" in value:
            # UTF-16 text inside other text (a log relaying wsl.exe output):
            # read it as text, redact, and put the NULs back.
            value = _NUL_INTERLEAVED.sub(
                lambda m: "".join(c + "\x00" for c in self._plain(m.group()[0::2])),
                value,
            )
        return self._plain(value)

    def _plain(self, value: str) -> str:
        for step in self._steps():
            value = step(value)
        return value

    def _steps(self) -> list[Callable[[str], str]]:
        return [
            self._key_values,
            lambda t: _BEARER.sub(self._token_after_scheme, t),
            lambda t: _URL_USERINFO.sub(
                lambda m: (
                    m.group("scheme") + self.placeholder(TOKEN, m.group("value")) + "@"
                ),
                t,
            ),
            lambda t: _PREFIXED_TOKEN.sub(
                lambda m: self.placeholder(TOKEN, m.group()), t
            ),
            lambda t: _EMAIL.sub(self._email, t),
            self._known_names,
            lambda t: _GUID.sub(self._guid, t),
            self._long_runs,
            lambda t: _MAC.sub(self._mac, t),
            lambda t: _IPV6_CANDIDATE.sub(self._ipv6, t),
            self._ipv4_all,
        ]

    def _key_values(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group("value")
            if value.casefold() in _NOT_SECRET_VALUES or _is_placeholder(value):
                return match.group()
            if not match.group("scheme") and value.casefold() in _SCHEMES:
                return match.group()  # "Bearer <token-1>": already replaced
            if set(value) <= set("*x.•-_"):
                return match.group()
            scheme = match.group("scheme") or ""
            return (
                match.group("key")
                + match.group("sep")
                + scheme
                + self.placeholder(TOKEN, value)
            )

        return _KEY_VALUE.sub(replace, text)

    def _token_after_scheme(self, match: re.Match[str]) -> str:
        value = match.group("value")
        if _is_placeholder(value):
            return match.group()
        return match.group("scheme") + self.placeholder(TOKEN, value)

    def _email(self, match: re.Match[str]) -> str:
        value = match.group()
        if value.casefold().endswith("@example.invalid"):
            return value
        return self.placeholder(EMAIL, value)

    def _known_names(self, text: str) -> str:
        if self._names is not None:
            text = self._names.sub(lambda m: self._name_placeholder(m.group()), text)
        if self._path_names is not None:
            text = self._path_names.sub(
                lambda m: m.group("prefix") + self.placeholder(USER, m.group("name")),
                text,
            )
        return text

    def _name_placeholder(self, value: str) -> str:
        category = self._category_of.get(value.casefold(), TERM)
        kind = "domain" if value.casefold() in self._domains else category
        return self.placeholder(category, value, kind)

    def _guid(self, match: re.Match[str]) -> str:
        value = match.group()
        if value.startswith("00000000-0000-0000-0000-"):
            return value
        return self.placeholder(TOKEN, value, "guid")

    def _long_runs(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            value = match.group()
            if not looks_like_token(value):
                return value
            before = text[max(0, match.start() - 24) : match.start()]
            if _HEX.match(value) and _COMMIT_LABEL.search(before):
                return value
            return self.placeholder(TOKEN, value)

        return _LONG_RUN.sub(replace, text)

    def _mac(self, match: re.Match[str]) -> str:
        value = match.group()
        octets = value.lower().replace("-", ":")
        if octets in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
            return value
        if octets.startswith("00:00:5e:00:53:"):
            return value
        placeholder = self.placeholder(MAC, octets)
        separator = match.group(1)
        placeholder = placeholder.replace(":", separator)
        return placeholder.upper() if value.isupper() else placeholder

    def _ipv6(self, match: re.Match[str]) -> str:
        value = match.group()
        address_text = value.split("%", 1)[0]
        try:
            address = ipaddress.IPv6Address(address_text)
        except ValueError:
            return value
        if (
            address.is_loopback
            or address.is_unspecified
            or address.is_multicast
            or address in _DOC_V6
        ):
            return value
        if address.ipv4_mapped is not None:
            mapped = self._ipv4(str(address.ipv4_mapped))
            return "::ffff:" + mapped
        kind = "ipv6-link-local" if address.is_link_local else IPV6
        return self.placeholder(IPV6, str(address), kind)

    def _ipv4_all(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if is_version(text, match.start(), match.end()):
                return match.group()
            return self._ipv4(match.group())

        return _IPV4.sub(replace, text)

    def _ipv4(self, value: str) -> str:
        try:
            address = ipaddress.IPv4Address(value)
        except ValueError:
            return value
        if (
            address.is_loopback
            or address.is_unspecified
            or address.is_multicast
            or int(address) == 0xFFFFFFFF
            or _is_netmask(address)
            or any(address in network for network in _DOC_V4)
        ):
            return value
        if address.is_link_local:
            kind = "ipv4-link-local"
        elif address.is_private:
            kind = "ipv4-private"
        elif address.is_global:
            kind = "ipv4-public"
        else:
            kind = "ipv4-other"
        return self.placeholder(IPV4, value, kind)

    # -- bytes -----------------------------------------------------------

    def data(self, raw: bytes) -> bytes:
        """Bytes redacted in their own encoding: UTF-16 stays UTF-16 (with its
        byte order mark, if any), UTF-8 stays UTF-8, and anything else is
        read in the Windows code page it was written in (GBK, Shift-JIS) or one
        byte per character so that its ASCII parts are redacted."""
        if not raw:
            return raw
        encoding = guess_encoding(raw)
        if encoding == "utf-8":
            return self.text(raw.decode("utf-8")).encode("utf-8")
        if encoding == "latin-1":
            legacy = decode_output(raw).encoding
            if legacy in ("gbk", "cp932"):
                # A Chinese or Japanese Windows: names are in its code page.
                # Then once more byte by byte, for an ASCII name that the
                # code page joined to the character before it.
                raw = self.text(raw.decode(legacy)).encode(legacy, errors="replace")
            return self.text(raw.decode("latin-1")).encode("latin-1", "replace")
        even = raw[: len(raw) - len(raw) % 2]
        text = even.decode(encoding, errors="surrogatepass")
        result = self.text(text).encode(encoding, errors="surrogatepass")
        result += raw[len(even) :]
        # UTF-16 text has no run of plain ASCII bytes; such a run means the
        # guess was wrong for that part (ASCII text among UTF-16), so it is
        # redacted as it is.
        view = result.decode("latin-1")
        fixed = _ASCII_RUN.sub(lambda m: self._plain(m.group()), view)
        return result if fixed == view else fixed.encode("latin-1", "replace")

    # -- summary ---------------------------------------------------------

    def by_category(self) -> dict[str, list[Replacement]]:
        grouped: dict[str, list[Replacement]] = {c: [] for c in CATEGORIES}
        for replacement in self.replacements.values():
            if replacement.count:
                grouped[replacement.category].append(replacement)
        return {c: r for c, r in grouped.items() if r}


_DOC_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15")
)
_DOC_V6 = ipaddress.IPv6Network("2001:db8::/32")
_V4_BASES = {
    "ipv4-private": "192.0.2.",
    "ipv4-public": "203.0.113.",
    "ipv4-other": "198.51.100.",
    "ipv4-link-local": "169.254.0.",
}


def guess_encoding(raw: bytes) -> str:
    """``utf-16-le``, ``utf-16-be``, ``utf-8`` or ``latin-1``: a byte order
    mark, else NULs in every other byte (ASCII text in UTF-16), else strict
    UTF-8. Stricter than the probes' decoder, which may guess UTF-16 from a
    single NUL."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if raw.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = raw[:8192]
    pairs = len(sample) // 2
    if pairs >= 2:
        even, odd = (
            sample[0 : pairs * 2 : 2].count(0),
            sample[1 : pairs * 2 : 2].count(0),
        )
        if odd * 10 >= pairs * 3 and even * 4 <= odd:
            return "utf-16-le"
        if even * 10 >= pairs * 3 and odd * 4 <= even:
            return "utf-16-be"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _is_netmask(address: ipaddress.IPv4Address) -> bool:
    value = int(address)
    inverted = ~value & 0xFFFFFFFF
    return value >> 24 == 0xFF and inverted & (inverted + 1) == 0


def _normal_key(category: str, original: str) -> str:
    if category in (IPV6, MAC):
        return original.lower()
    return original.casefold()


def _is_placeholder(value: str) -> bool:
    return value.startswith("<token-") or value.startswith("<removed")


def _make_placeholder(kind: str, number: int) -> str:
    if kind in _V4_BASES:
        if number <= 254:
            return _V4_BASES[kind] + str(number)
        return f"198.18.{number // 256 % 256}.{number % 256}"
    if kind == "ipv6-link-local":
        return f"fe80::{number:x}"
    if kind == IPV6:
        return f"2001:db8::{number:x}"
    if kind == MAC:
        if number <= 0xFF:
            return f"00:00:5e:00:53:{number:02x}"
        return f"02:00:00:00:{number >> 8 & 0xFF:02x}:{number & 0xFF:02x}"
    if kind == EMAIL:
        return f"mail{number}@example.invalid"
    if kind == "guid":
        return f"00000000-0000-0000-0000-{number:012d}"
    if kind == TOKEN:
        return f"<token-{number}>"
    if kind == TERM:
        return f"removed{number}"
    return f"{kind}{number}"
