"""Shared by tools/regen_errors.py and tools/errors_diff.py: the record
`xpyc --check-errors` prints for one compile() outcome, made by the oracle.

A record is OK, or CLASS, MSG, LINENO, OFFSET, END_LINENO, END_OFFSET, TEXT
and PRINTED joined by tabs; see driver/check_errors.cpp.
"""
import ast
import traceback
import warnings

SYNTAX_FAMILY = ("SyntaxError", "IndentationError", "TabError")
SUITE_FILE_NAME = "case.py"


def escape_bytes(data):
    out = []
    for c in data:
        if c == 0x5C:
            out.append("\\\\")
        elif c == 0x09:
            out.append("\\t")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x0D:
            out.append("\\r")
        elif c < 0x20 or c >= 0x7F:
            out.append("\\x%02x" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out += ch.encode()
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "t":
            out.append(9)
        elif nxt == "n":
            out.append(10)
        elif nxt == "r":
            out.append(13)
        elif nxt == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 2
        else:
            out += nxt.encode()
        i += 2
    return bytes(out)


def to_bytes(text):
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def escape_str(text):
    return escape_bytes(to_bytes(text))


def opt(value):
    return "None" if value is None else str(value)


def record_of_exception(exc):
    name = type(exc).__name__
    if isinstance(exc, SyntaxError):
        printed = "".join(traceback.format_exception_only(type(exc), exc))
        return "\t".join([
            name, escape_str(exc.msg if exc.msg is not None else ""),
            opt(exc.lineno), opt(exc.offset), opt(exc.end_lineno), opt(exc.end_offset),
            "None" if exc.text is None else escape_str(exc.text),
            escape_str(printed)])
    printed = "".join(traceback.format_exception_only(type(exc), exc))
    return "\t".join([name, escape_str(str(exc))] + ["None"] * 5 + [escape_str(printed)])


def oracle_record(source, filename, parse_only=False):
    """compile(source, filename, 'exec') (or ast.parse) -> (record, exception)."""
    flags = ast.PyCF_ONLY_AST if parse_only else 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, filename, "exec", flags, dont_inherit=True)
        except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError,
                UnicodeDecodeError, SystemError, LookupError) as exc:
            return record_of_exception(exc), exc
    return "OK", None
