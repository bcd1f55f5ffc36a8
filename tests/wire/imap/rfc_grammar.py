"""A strict checker for FETCH responses, written from the formal syntax of RFC 3501 §9 and RFC 9051 §9 (not from
claret's serializer): msg-att, envelope, address, body, body-type-1part / -mpart / -basic / -msg / -text,
body-fields, body-fld-*, body-ext-1part / -mpart, body-extension, nstring, string (quoted / literal), number.

    parse_fetch_response(raw) -> (msg_number, {"UID": 7, "ENVELOPE": ..., "BODYSTRUCTURE": ..., "BODY[]": b"..."})

`raw` is one whole untagged response as it came off the wire, literals included, without the final CRLF. Any
deviation from the grammar raises GrammarError with the offset and the rule that failed. Only IMAP4rev1 strings
are accepted (the test sessions do not ENABLE UTF8=ACCEPT or IMAP4rev2): a quoted string is 7-bit TEXT-CHARs, so
8-bit data must come as a literal (RFC 3501 §4.3, RFC 9051 §4.3 "UTF8-2 / UTF8-3 / UTF8-4 only with UTF8=ACCEPT").

Rules (RFC 9051 §9; RFC 3501 §9 where it differs it is noted):
    body            = "(" (body-type-1part / body-type-mpart) ")"
    body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
    body-type-basic = media-basic SP body-fields
    body-type-msg   = media-message SP body-fields SP envelope SP body SP body-fld-lines
    body-type-text  = media-text SP body-fields SP body-fld-lines
    body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]      ; bodies are NOT separated by SP
    body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
    body-fld-param  = "(" string SP string *(SP string SP string) ")" / nil
    body-fld-enc    = (DQUOTE ("7BIT" / "8BIT" / "BINARY" / "BASE64"/ "QUOTED-PRINTABLE") DQUOTE) / string
    body-fld-dsp    = "(" string SP body-fld-param ")" / nil
    body-fld-lang   = nstring / "(" string *(SP string) ")"
    body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
    body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
    body-extension  = nstring / number / number64 / "(" body-extension *(SP body-extension) ")"
    media-message   = DQUOTE "MESSAGE" DQUOTE SP DQUOTE ("RFC822" / "GLOBAL") DQUOTE   ; GLOBAL: RFC 9051 only
    media-text      = DQUOTE "TEXT" DQUOTE SP media-subtype
    envelope        = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP env-cc
                      SP env-bcc SP env-in-reply-to SP env-message-id ")"
    env-from (etc.) = "(" 1*address ")" / nil                              ; addresses NOT separated by SP
    address         = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"       ; each an nstring
    string          = quoted / literal;  literal = "{" number "}" CRLF *CHAR8 (servers never send "{n+}")
    quoted          = DQUOTE *QUOTED-CHAR DQUOTE;  QUOTED-CHAR = <TEXT-CHAR except quoted-specials> / "\" quoted-specials
    number          = 1*DIGIT  ; unsigned 32-bit;  nz-number = digit-nz *DIGIT
Semantics checked besides syntax (RFC 3501 §7.4.2): a group in an address list opens with a NIL host and a
non-NIL mailbox and closes with NIL mailbox and NIL host; a message/rfc822 part must use body-type-msg
(message/global may be either: RFC 3501 has no media-message for it) and a text/* part body-type-text (the grammar is otherwise ambiguous between them and media-basic);
every multipart has at least one body.
"""

DIGITS = b"0123456789"
# atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
ATOM_SPECIALS = set(b'(){ %*"\\]') | set(range(0, 32)) | {127}
MAX_NUMBER = 2**32 - 1
MAX_NUMBER64 = 2**63 - 1


class GrammarError(ValueError):
    pass


class Nil:
    """The NIL of nstring (distinct from the empty string "")."""

    def __repr__(self):
        return "NIL"


NIL = Nil()


class Reader:
    def __init__(self, data: bytes, pos=0):
        self.s = data
        self.i = pos

    def fail(self, rule, detail=""):
        ctx = self.s[max(0, self.i - 40):self.i + 40]
        raise GrammarError(f"{rule} at offset {self.i}{': ' + detail if detail else ''}; near {ctx!r}")

    def peek(self, n=1):
        return self.s[self.i:self.i + n]

    def at_end(self):
        return self.i >= len(self.s)

    def expect(self, lit: bytes, rule):
        if self.s[self.i:self.i + len(lit)] != lit:
            self.fail(rule, f"expected {lit!r}")
        self.i += len(lit)

    def sp(self, rule):
        self.expect(b" ", rule + " (SP)")

    def try_ci(self, word: bytes):
        """Consumes `word` (case-insensitive) if it is next and not followed by an atom character."""
        end = self.i + len(word)
        if self.s[self.i:end].upper() == word.upper() and (end >= len(self.s) or not _is_atom_char(self.s[end])):
            self.i = end
            return True
        return False

    # -- basic tokens --
    def nil(self):
        if self.try_ci(b"NIL"):
            return NIL
        return None

    def number(self, rule="number", limit=MAX_NUMBER):
        start = self.i
        while self.i < len(self.s) and self.s[self.i] in DIGITS:
            self.i += 1
        if self.i == start:
            self.fail(rule, "expected digits")
        value = int(self.s[start:self.i])
        if value > limit:
            self.i = start
            self.fail(rule, f"{value} exceeds {limit}")
        return value

    def quoted(self, rule="quoted"):
        self.expect(b'"', rule)
        out = bytearray()
        while True:
            if self.i >= len(self.s):
                self.fail(rule, "unterminated quoted string")
            c = self.s[self.i]
            if c == 0x22:
                self.i += 1
                return bytes(out)
            if c == 0x5C:
                nxt = self.s[self.i + 1:self.i + 2]
                if nxt not in (b'"', b"\\"):
                    self.fail(rule, f"backslash before {nxt!r} (only quoted-specials may be escaped)")
                out += nxt
                self.i += 2
                continue
            if c in (0x0D, 0x0A) or c == 0 or c > 0x7F:
                self.fail(rule, f"byte 0x{c:02x} is not a TEXT-CHAR (8-bit and CR/LF/NUL data needs a literal)")
            out.append(c)
            self.i += 1

    def literal(self, rule="literal"):
        self.expect(b"{", rule)
        n = self.number(rule + " length", MAX_NUMBER64)
        if self.peek() == b"+":
            self.fail(rule, "a server must not send a non-synchronizing literal")
        self.expect(b"}\r\n", rule)
        data = self.s[self.i:self.i + n]
        if len(data) != n:
            self.fail(rule, f"literal of {n} bytes truncated at {len(data)}")
        if b"\x00" in data:
            self.fail(rule, "NUL in a literal (CHAR8 = %x01-ff; NUL needs literal8 / BINARY)")
        self.i += n
        return data

    def string(self, rule="string"):
        c = self.peek()
        if c == b'"':
            return self.quoted(rule)
        if c == b"{":
            return self.literal(rule)
        self.fail(rule, "expected quoted or literal")

    def nstring(self, rule="nstring"):
        if self.nil() is not None:
            return NIL
        return self.string(rule)


def _is_atom_char(b):
    return b not in ATOM_SPECIALS and b < 0x80


# -- ENVELOPE --

ENVELOPE_FIELDS = ("date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id")
ADDRESS_LISTS = {"from", "sender", "reply-to", "to", "cc", "bcc"}


def envelope(r: Reader):
    r.expect(b"(", "envelope")
    out = {}
    for k, name in enumerate(ENVELOPE_FIELDS):
        if k:
            r.sp("envelope")
        if name in ADDRESS_LISTS:
            out[name] = address_list(r, "env-" + name)
        else:
            out[name] = r.nstring("env-" + name)
    r.expect(b")", "envelope")
    return out


def address_list(r: Reader, rule):
    if r.nil() is not None:
        return NIL
    r.expect(b"(", rule)
    addrs = []
    while r.peek() == b"(":
        addrs.append(address(r))
    if not addrs:
        r.fail(rule, '"(" 1*address ")": an empty address list must be NIL')
    r.expect(b")", rule + " (addresses are not separated by SP)")
    depth = 0
    for a in addrs:
        name, adl, mailbox, host = a
        if host is NIL and mailbox is not NIL:
            depth += 1  # group start: mailbox is the group name
        elif host is NIL and mailbox is NIL:
            if depth == 0:
                r.fail(rule, "group end (NIL mailbox, NIL host) without a group start")
            depth -= 1
        elif mailbox is NIL:
            r.fail(rule, f"address {a} has a host but NIL mailbox")
    if depth:
        r.fail(rule, "group start without a group end")
    return addrs


def address(r: Reader):
    r.expect(b"(", "address")
    parts = []
    for k, name in enumerate(("addr-name", "addr-adl", "addr-mailbox", "addr-host")):
        if k:
            r.sp("address")
        parts.append(r.nstring(name))
    r.expect(b")", "address")
    return tuple(parts)


# -- BODY / BODYSTRUCTURE --

def body(r: Reader, extensible=True, depth=0):
    """body = "(" (body-type-1part / body-type-mpart) ")". `extensible`: BODYSTRUCTURE may carry extension data;
    the non-extensible BODY form must not (RFC 3501 §7.4.2)."""
    if depth > 100:
        r.fail("body", "nesting deeper than 100")
    r.expect(b"(", "body")
    if r.peek() == b"(":
        node = body_mpart(r, extensible, depth)
    else:
        node = body_1part(r, extensible, depth)
    r.expect(b")", "body")
    return node


def body_mpart(r: Reader, extensible, depth):
    parts = []
    while r.peek() == b"(":
        parts.append(body(r, extensible, depth + 1))
    if not parts:
        r.fail("body-type-mpart", "1*body")
    r.sp("body-type-mpart (bodies are not separated by SP; SP before media-subtype)")
    subtype = r.string("media-subtype")
    node = {"type": b"MULTIPART", "subtype": subtype, "parts": parts}
    if r.peek() == b" ":
        if not extensible:
            r.fail("body-type-mpart", "extension data in non-extensible BODY")
        r.sp("body-ext-mpart")
        node["params"] = body_fld_param(r)
        body_ext_tail(r, node)
    return node


def body_1part(r: Reader, extensible, depth):
    mtype = r.string("media-type")
    r.sp("media-type")
    subtype = r.string("media-subtype")
    r.sp("body-fields")
    node = {"type": mtype, "subtype": subtype}
    node.update(body_fields(r))
    t, s = mtype.upper(), subtype.upper()
    # message/global is body-type-msg in RFC 9051 but media-basic under RFC 3501 (IMAP4rev1 servers such as
    # Dovecot send it without envelope): an envelope always opens with "(", an md5 (nstring) never does.
    if t == b"MESSAGE" and (s == b"RFC822" or s == b"GLOBAL" and r.peek(2) == b" ("):
        r.sp("body-type-msg")
        node["envelope"] = envelope(r)
        r.sp("body-type-msg")
        node["body"] = body(r, extensible, depth + 1)
        r.sp("body-type-msg")
        node["lines"] = r.number("body-fld-lines", MAX_NUMBER64)
    elif t == b"TEXT":
        r.sp("body-type-text")
        node["lines"] = r.number("body-fld-lines", MAX_NUMBER64)
    if r.peek() == b" ":
        if not extensible:
            r.fail("body-type-1part", "extension data in non-extensible BODY")
        r.sp("body-ext-1part")
        node["md5"] = r.nstring("body-fld-md5")
        body_ext_tail(r, node)
    return node


def body_fields(r: Reader):
    out = {"params": body_fld_param(r)}
    r.sp("body-fields")
    out["id"] = r.nstring("body-fld-id")
    r.sp("body-fields")
    out["desc"] = r.nstring("body-fld-desc")
    r.sp("body-fields")
    out["enc"] = r.string("body-fld-enc")
    r.sp("body-fields")
    out["octets"] = r.number("body-fld-octets")
    return out


def body_fld_param(r: Reader):
    if r.nil() is not None:
        return NIL
    r.expect(b"(", "body-fld-param")
    params = []
    while True:
        k = r.string("body-fld-param attribute")
        r.sp("body-fld-param")
        v = r.string("body-fld-param value")
        params.append((k, v))
        if r.peek() != b" ":
            break
        r.sp("body-fld-param")
    r.expect(b")", "body-fld-param")
    return params


def body_ext_tail(r: Reader, node):
    """[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]"""
    if r.peek() != b" ":
        return
    r.sp("body-fld-dsp")
    if r.nil() is not None:
        node["dsp"] = NIL
    else:
        r.expect(b"(", "body-fld-dsp")
        dtype = r.string("body-fld-dsp type")
        r.sp("body-fld-dsp")
        node["dsp"] = (dtype, body_fld_param(r))
        r.expect(b")", "body-fld-dsp")
    if r.peek() != b" ":
        return
    r.sp("body-fld-lang")
    if r.peek() == b"(":
        r.expect(b"(", "body-fld-lang")
        langs = [r.string("body-fld-lang")]
        while r.peek() == b" ":
            r.sp("body-fld-lang")
            langs.append(r.string("body-fld-lang"))
        r.expect(b")", "body-fld-lang")
        node["lang"] = langs
    else:
        node["lang"] = r.nstring("body-fld-lang")
    if r.peek() != b" ":
        return
    r.sp("body-fld-loc")
    node["loc"] = r.nstring("body-fld-loc")
    ext = []
    while r.peek() == b" ":
        r.sp("body-extension")
        ext.append(body_extension(r, 0))
    node["ext"] = ext


def body_extension(r: Reader, depth):
    if depth > 50:
        r.fail("body-extension", "nesting")
    c = r.peek()
    if c == b"(":
        r.expect(b"(", "body-extension")
        items = [body_extension(r, depth + 1)]
        while r.peek() == b" ":
            r.sp("body-extension")
            items.append(body_extension(r, depth + 1))
        r.expect(b")", "body-extension")
        return items
    if c and c[0] in DIGITS:
        return r.number("body-extension number", MAX_NUMBER64)
    return r.nstring("body-extension")


# -- FETCH response --

def section_spec(r: Reader):
    """section = "[" [section-spec] "]" — returned as the raw text between the brackets (header-list astrings
    are checked for balance only; the FETCH tests request fixed sections)."""
    start = r.i
    r.expect(b"[", "section")
    depth = 0
    while True:
        if r.at_end():
            r.fail("section", "unterminated")
        c = r.s[r.i]
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
        elif c == 0x5D and depth == 0:
            r.i += 1
            return r.s[start + 1:r.i - 1]
        elif c in (0x0D, 0x0A):
            r.fail("section", "CR/LF")
        r.i += 1


def literal8(r: Reader):
    """literal8 = "~{" number64 "}" CRLF *OCTET (RFC 3516 §4.1, RFC 9051): NUL allowed."""
    r.expect(b"~{", "literal8")
    n = r.number("literal8 length", MAX_NUMBER64)
    r.expect(b"}\r\n", "literal8")
    data = r.s[r.i:r.i + n]
    if len(data) != n:
        r.fail("literal8", "truncated")
    r.i += n
    return data


def flag_list(r: Reader):
    r.expect(b"(", "flag-fetch list")
    flags = []
    while r.peek() != b")":
        if flags:
            r.sp("flag list")
        start = r.i
        if r.peek() == b"\\":
            r.i += 1
            if r.peek() == b"*":
                r.fail("flag-fetch", "\\* is not a flag-fetch")
        while not r.at_end() and _is_atom_char(r.s[r.i]):
            r.i += 1
        if r.i == start or r.s[start:r.i] == b"\\":
            r.fail("flag", "empty flag")
        flags.append(r.s[start:r.i].decode())
    r.expect(b")", "flag list")
    return flags


def msg_att(r: Reader, out):
    start = r.i
    while not r.at_end() and (_is_atom_char(r.s[r.i]) and r.s[r.i] not in b"[<"):
        r.i += 1
    name = r.s[start:r.i].upper().decode()
    if name in ("BODY", "BINARY", "BINARY.SIZE") and r.peek() == b"[":
        sec = section_spec(r)
        key = f"{name}[{sec.decode(errors='replace')}]"
        if r.peek() == b"<":
            r.expect(b"<", "partial origin")
            key += f"<{r.number('partial origin')}>"
            r.expect(b">", "partial origin")
        r.sp(name)
        if name == "BINARY.SIZE":
            out[key] = r.number("BINARY.SIZE", MAX_NUMBER64)
        elif name == "BINARY" and r.peek() == b"~":
            out[key] = literal8(r)
        else:
            out[key] = r.nstring(key)
        return
    r.sp(name or "msg-att")
    if name == "ENVELOPE":
        out[name] = envelope(r)
    elif name == "BODYSTRUCTURE":
        out[name] = body(r, extensible=True)
    elif name == "BODY":
        out[name] = body(r, extensible=False)
    elif name in ("UID", "RFC822.SIZE"):
        out[name] = r.number(name, MAX_NUMBER64)
        if name == "UID" and out[name] == 0:
            r.fail("uniqueid", "nz-number")
    elif name == "FLAGS":
        out[name] = flag_list(r)
    elif name == "INTERNALDATE":
        d = r.quoted("date-time")
        import re
        if not re.fullmatch(rb'[ \d]\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}', d):
            r.fail("date-time", repr(d))
        out[name] = d
    elif name == "MODSEQ":
        r.expect(b"(", "permsg-modsequence")
        out[name] = r.number("mod-sequence-value", MAX_NUMBER64)
        r.expect(b")", "permsg-modsequence")
    elif name in ("RFC822", "RFC822.HEADER", "RFC822.TEXT"):
        out[name] = r.nstring(name)
    else:
        r.fail("msg-att", f"unknown attribute {name!r}")


def parse_fetch_response(raw: bytes):
    """'* ' nz-number ' FETCH (' msg-att *(SP msg-att) ')' — returns (number, {attribute: value})."""
    r = Reader(raw)
    r.expect(b"* ", "response-data")
    n = r.number("nz-number")
    if n == 0:
        r.fail("nz-number", "0")
    r.expect(b" FETCH (", "message-data")
    out = {}
    while True:
        msg_att(r, out)
        if r.peek() == b")":
            break
        r.sp("msg-att")
    r.expect(b")", "msg-att")
    if not r.at_end():
        r.fail("response", "trailing bytes after the FETCH response")
    return n, out


def parse_value(raw: bytes, rule):
    """Parses one complete value by rule name ("body", "envelope") — for unit checks."""
    r = Reader(raw)
    v = {"body": lambda: body(r), "envelope": lambda: envelope(r)}[rule]()
    if not r.at_end():
        r.fail(rule, "trailing bytes")
    return v
