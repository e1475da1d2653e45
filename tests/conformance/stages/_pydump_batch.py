"""Helper of the pyc-read stage (not a stage): runs tools/pydump.py's dump()
over many pycs in one oracle process. For each PYC it writes PYC.pydump (the
dump, exactly the bytes pydump.py prints for one file) or PYC.pydump-error
(the message). Usage: python3.10 _pydump_batch.py PYDUMP_PY PYC ..."""

import importlib.util
import sys


def main(pydump_path, pycs):
    spec = importlib.util.spec_from_file_location("xpyc_tools_pydump", pydump_path)
    pydump = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pydump)
    for pyc in pycs:
        try:
            with open(pyc, "rb") as f:
                text = pydump.dump(f.read())
        except Exception as exc:  # mirrors pydump.main: any failure is reported
            with open(pyc + ".pydump-error", "w", encoding="utf-8") as out:
                out.write(f"{type(exc).__name__}: {exc}\n")
            continue
        with open(pyc + ".pydump", "wb") as out:
            out.write(text.encode("utf-8", "surrogatepass"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
