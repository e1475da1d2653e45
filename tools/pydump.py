"""The text dump of CPython 3.10 pycs, computed from the oracle's own
marshal.loads: byte for byte what `xpyc --dump-pyc` prints.

Usage (CPython 3.10):  python3.10 tools/pydump.py FILE.pyc ...

With several files each dump starts with a "file PATH" line. A malformed
file gives "xpyc: PATH: MESSAGE" on stderr and exit status 1.
"""
import marshal
import opcode
import struct
import sys
import types
from collections import deque

assert sys.version_info[:2] == (3, 10), "needs the CPython 3.10 oracle"
sys.set_int_max_str_digits(0)
# Marshal data nests up to 2000 levels; each level costs a few Python frames.
sys.setrecursionlimit(20000)

MAGIC_310 = bytes.fromhex("6f0d0d0a")
CANONICAL_NAN_BITS = 0x7FF8000000000000

CODE_FLAGS = [
    (0x1, "CO_OPTIMIZED"),
    (0x2, "CO_NEWLOCALS"),
    (0x4, "CO_VARARGS"),
    (0x8, "CO_VARKEYWORDS"),
    (0x10, "CO_NESTED"),
    (0x20, "CO_GENERATOR"),
    (0x40, "CO_NOFREE"),
    (0x80, "CO_COROUTINE"),
    (0x100, "CO_ITERABLE_COROUTINE"),
    (0x200, "CO_ASYNC_GENERATOR"),
    (0x20000, "CO_FUTURE_DIVISION"),
    (0x40000, "CO_FUTURE_ABSOLUTE_IMPORT"),
    (0x80000, "CO_FUTURE_WITH_STATEMENT"),
    (0x100000, "CO_FUTURE_PRINT_FUNCTION"),
    (0x200000, "CO_FUTURE_UNICODE_LITERALS"),
    (0x400000, "CO_FUTURE_BARRY_AS_BDFL"),
    (0x800000, "CO_FUTURE_GENERATOR_STOP"),
    (0x1000000, "CO_FUTURE_ANNOTATIONS"),
]

HASCONST = set(opcode.hasconst)
HASNAME = set(opcode.hasname)
HASLOCAL = set(opcode.haslocal)
HASFREE = set(opcode.hasfree)
HASCOMPARE = set(opcode.hascompare)
HASJREL = set(opcode.hasjrel)
HASJABS = set(opcode.hasjabs)


class DumpError(Exception):
    pass


def le32(b):
    return struct.unpack("<I", b)[0]


def float_bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def is_odd_nan(d):
    return d != d and float_bits(d) != CANONICAL_NAN_BITS


def float_text(d):
    if is_odd_nan(d):
        return "nan[0x%016x]" % float_bits(d)
    return repr(d)


def complex_text(c):
    text = repr(c)
    if is_odd_nan(c.real) or is_odd_nan(c.imag):
        text += "[0x%016x 0x%016x]" % (float_bits(c.real), float_bits(c.imag))
    return text


def utf8_key(text):
    # Sort like the C++ side: by UTF-8 bytes (code point order); lone
    # surrogates never reach here escaped-free, but stay safe.
    return text.encode("utf-8", "surrogatepass")


class Printer:
    def __init__(self):
        self.out = []
        self.pending = deque()
        self.next_code_number = 0

    def value_text(self, v, numbered, parent):
        t = type(v)
        if v is None or t is bool or v is Ellipsis or v is StopIteration:
            return repr(v)
        if t is int or t is str or t is bytes:
            return repr(v)
        if t is float:
            return float_text(v)
        if t is complex:
            return complex_text(v)
        if t is tuple:
            inner = self.items_text(v, numbered, parent)
            return "(" + inner + (",)" if len(v) == 1 else ")")
        if t is list:
            return "[" + self.items_text(v, numbered, parent) + "]"
        if t is dict:
            parts = []
            for k, x in v.items():
                parts.append(self.value_text(k, numbered, parent) + ": " +
                             self.value_text(x, numbered, parent))
            return "{" + ", ".join(parts) + "}"
        if t is set:
            if not v:
                return "set()"
            return "{" + self.sorted_items_text(v, numbered, parent) + "}"
        if t is frozenset:
            if not v:
                return "frozenset()"
            return "frozenset({" + self.sorted_items_text(v, numbered, parent) + "})"
        if t is types.CodeType:
            if not numbered:
                return "<code %s>" % v.co_name
            number = self.next_code_number
            self.next_code_number += 1
            self.pending.append((v, number, parent))
            return "<code #%d %s>" % (number, v.co_name)
        raise DumpError("unexpected value of type %s" % t.__name__)

    def items_text(self, items, numbered, parent):
        return ", ".join(self.value_text(x, numbered, parent) for x in items)

    def sorted_items_text(self, items, numbered, parent):
        keyed = [(self.value_text(x, False, parent), i, x) for i, x in enumerate(items)]
        keyed.sort(key=lambda k: (utf8_key(k[0]), k[1]))
        if not numbered:
            return ", ".join(k[0] for k in keyed)
        return ", ".join(self.value_text(k[2], True, parent) for k in keyed)

    def header(self, h):
        flags = le32(h[4:8])
        self.out.append("magic %d %s\n" % (le32(h[0:4]) & 0xFFFF, h[0:4].hex()))
        if not flags & 1:
            kind = "timestamp"
        elif flags & 2:
            kind = "checked-hash"
        else:
            kind = "unchecked-hash"
        self.out.append("flags 0x%08x %s\n" % (flags, kind))
        if not flags & 1:
            self.out.append("mtime %d\nsource_size %d\n" % (le32(h[8:12]), le32(h[12:16])))
        else:
            self.out.append("source_hash %s\n" % h[8:16].hex())

    def root(self, root):
        if type(root) is types.CodeType:
            self.pending.append((root, self.next_code_number, -1))
            self.next_code_number += 1
        else:
            self.out.append("root " + self.value_text(root, True, -1) + "\n")
        while self.pending:
            self.code(*self.pending.popleft())

    def str_list(self, name, items):
        self.out.append("  %s (%d)\n" % (name, len(items)))
        for i, x in enumerate(items):
            self.out.append("    %d %r\n" % (i, x))

    def flags(self, flags):
        names = []
        rest = flags
        for bit, name in CODE_FLAGS:
            if flags & bit:
                names.append(name)
                rest &= ~bit
        if rest:
            names.append("0x%x" % rest)
        self.out.append("  flags 0x%08x%s\n" % (flags, (" " + "|".join(names)) if names else ""))

    def code(self, co, number, parent):
        w = self.out.append
        w("code #%d %s%s\n" % (number, co.co_name, (" in #%d" % parent) if parent >= 0 else ""))
        w("  name %r\n" % co.co_name)
        w("  filename %r\n" % co.co_filename)
        w("  firstlineno %d\n" % co.co_firstlineno)
        w("  argcount %d\n" % co.co_argcount)
        w("  posonlyargcount %d\n" % co.co_posonlyargcount)
        w("  kwonlyargcount %d\n" % co.co_kwonlyargcount)
        w("  nlocals %d\n" % co.co_nlocals)
        w("  stacksize %d\n" % co.co_stacksize)
        self.flags(co.co_flags)
        const_texts = []
        w("  consts (%d)\n" % len(co.co_consts))
        for i, c in enumerate(co.co_consts):
            const_texts.append(self.value_text(c, True, number))
            w("    %d %s\n" % (i, const_texts[-1]))
        self.str_list("names", co.co_names)
        self.str_list("varnames", co.co_varnames)
        self.str_list("freevars", co.co_freevars)
        self.str_list("cellvars", co.co_cellvars)
        w("  linetable (%d) %s\n" % (len(co.co_linetable), co.co_linetable.hex(" ")))
        self.disassemble(co, const_texts)

    def resolve(self, co, op, arg, offset, const_texts):
        def name_at(items, i):
            return repr(items[i]) if i < len(items) else "?"
        if op in HASCONST:
            return const_texts[arg] if arg < len(const_texts) else "?"
        if op in HASNAME:
            return name_at(co.co_names, arg)
        if op in HASLOCAL:
            return name_at(co.co_varnames, arg)
        if op in HASFREE:
            ncell = len(co.co_cellvars)
            if arg < ncell:
                return name_at(co.co_cellvars, arg)
            return name_at(co.co_freevars, arg - ncell)
        if op in HASCOMPARE:
            return opcode.cmp_op[arg] if arg < 6 else "?"
        if op in HASJREL:
            return "to %d" % (offset + 2 + arg * 2)
        if op in HASJABS:
            return "to %d" % (arg * 2)
        return ""

    def disassemble(self, co, const_texts):
        w = self.out.append
        code = co.co_code
        w("  code (%d)\n" % len(code))
        lines = LineTable(co.co_linetable, co.co_firstlineno)
        carried = 0
        offset = 0
        while offset + 2 <= len(code):
            op = code[offset]
            raw = code[offset + 1]
            arg = (raw | (carried << 8)) & 0xFFFFFFFF
            carried = arg if op == opcode.EXTENDED_ARG else 0
            line = lines.line_at(offset)
            name = opcode.opname[op]
            text = "  %6d L%s %s" % (offset, "-" if line is None else line, name)
            if op < opcode.HAVE_ARGUMENT:
                if raw:
                    text += " %d" % raw
            else:
                text += " %d" % raw
                if arg != raw:
                    text += " [%d]" % arg
                resolved = self.resolve(co, op, arg, offset, const_texts)
                if resolved:
                    text += " (%s)" % resolved
            w(text + "\n")
            offset += 2
        if offset < len(code):
            w("  %6d <trailing byte %02x>\n" % (offset, code[offset]))


class LineTable:
    """Line per bytecode offset from a 3.10 co_linetable, asked in
    increasing offset order."""

    def __init__(self, table, firstlineno):
        self.table = table
        self.next = 0
        self.start = 0
        self.end = 0
        self.has_line = False
        self.line = firstlineno

    def line_at(self, offset):
        while offset >= self.end:
            if self.next + 2 > len(self.table):
                return None
            delta = self.table[self.next]
            ldelta = self.table[self.next + 1]
            if ldelta >= 128:
                ldelta -= 256
            self.next += 2
            self.start = self.end
            self.end += delta
            if ldelta == -128:
                self.has_line = False
            else:
                self.line += ldelta
                self.has_line = True
        if offset < self.start or not self.has_line:
            return None
        return self.line


def dump(data):
    if len(data) < 16:
        raise DumpError("truncated pyc header (%d bytes, 16 expected)" % len(data))
    if data[:4] != MAGIC_310:
        raise DumpError("bad magic number %s (CPython 3.10 writes 6f0d0d0a)" % data[:4].hex())
    root = marshal.loads(data[16:])
    p = Printer()
    p.header(data[:16])
    p.root(root)
    return "".join(p.out)


def main(paths):
    status = 0
    out = sys.stdout.buffer
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
            text = dump(data)
        except OSError as e:
            out.flush()
            sys.stderr.flush()
            print("xpyc: %s: %s" % (path, e.strerror), file=sys.stderr)
            status = 1
            continue
        except (DumpError, ValueError, EOFError, TypeError) as e:
            out.flush()
            sys.stderr.flush()
            print("xpyc: %s: %s" % (path, e), file=sys.stderr)
            status = 1
            continue
        if len(paths) > 1:
            text = "file %s\n" % path + text
        out.write(text.encode("utf-8", "surrogatepass"))
    out.flush()
    return status


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: python3.10 tools/pydump.py FILE.pyc ...", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
