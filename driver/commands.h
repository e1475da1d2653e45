#pragma once
// The command-line entry points main() dispatches to. Each returns the
// process exit status. Every stage can be dumped from the command line.
namespace xpyc::driver {

int DumpPycCommand(int argc, char** argv);     // xpyc --dump-pyc FILE.pyc ...
int DumpTokensCommand(int argc, char** argv);  // xpyc --dump-tokens FILE.py
int DumpAstCommand(int argc, char** argv);     // xpyc --dump-ast FILE.py
int RoundtripPycCommand(int argc, char** argv); // xpyc --roundtrip-pyc IN.pyc OUT.pyc
int SourceHashCommand(int argc, char** argv);  // xpyc --source-hash FILE ...
int CheckErrorsCommand(int argc, char** argv); // xpyc --check-errors [...] (hidden)

// xpyc [compileall options] [FILE|DIR ...]: `python3.10 -m compileall`.
// `argv0` names the program in usage and error messages, as argparse does.
int CompileAllCommand(const char* argv0, int argc, char** argv);
// xpyc --py-compile [-q] FILE ... | -: `python3.10 -m py_compile`.
int PyCompileCommand(const char* argv0, int argc, char** argv);

}  // namespace xpyc::driver
