#pragma once
// The command-line entry points main() dispatches to. Each returns the
// process exit status. Every stage can be dumped from the command line.
namespace xpyc::driver {

int DumpPycCommand(int argc, char** argv);     // xpyc --dump-pyc FILE.pyc ...
int DumpTokensCommand(int argc, char** argv);  // xpyc --dump-tokens FILE.py
int DumpAstCommand(int argc, char** argv);     // xpyc --dump-ast FILE.py
int RoundtripPycCommand(int argc, char** argv); // xpyc --roundtrip-pyc IN.pyc OUT.pyc
int SourceHashCommand(int argc, char** argv);  // xpyc --source-hash FILE ...

}  // namespace xpyc::driver
