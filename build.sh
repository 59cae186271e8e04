#!/usr/bin/env bash
# Orchestrator's one entry point for setting up, running and testing on a fresh machine
# (Debian 12, .NET 10 SDK; llama.cpp arrives with the LLamaSharp.Backend.Cpu NuGet package). Everything it builds goes
# into ignored folders.
#
#   ./build.sh run [--verbose]  restore, build, and run the demo: the manuscript-review workflow over config/samples/manuscript.txt
#                       on a node with embedded defaults (a tiny generated model when none is configured); the node's logs
#                       go to data/logs/node-<time>.log, named in the output, or with --verbose to the console
#   ./build.sh node     restore, build, start a node and keep it serving (SQLite in data/, API on 127.0.0.1:9110)
#   ./build.sh publish [DIR]  publish the node precompiled (ReadyToRun) into DIR (artifacts/node): it starts in about
#                       two thirds of the time; the first publish takes about 3 minutes on 2 cores, later ones seconds
#   ./build.sh test     restore, build, check the code style (dotnet format), run every test; exits non-zero on any failure
#   ./build.sh bench [ARGS]   run the benchmarks (Release); e.g. ./build.sh bench --quick, ./build.sh bench llama-pool
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration=Release
results=artifacts/test-results

restore_and_build() {
  dotnet restore Orchestrator.sln --nologo -v quiet
  dotnet build Orchestrator.sln -c "$configuration" --no-restore --nologo -v quiet -clp:ErrorsOnly
}

command=${1:-run}
shift || true
case "$command" in
  run)
    restore_and_build
    exec dotnet "src/Orchestrator.Node/bin/$configuration/net10.0/Orchestrator.Node.dll" demo "$@"
    ;;
  node)
    restore_and_build
    exec dotnet "src/Orchestrator.Node/bin/$configuration/net10.0/Orchestrator.Node.dll" "$@"
    ;;
  publish)
    output=${1:-artifacts/node}
    # ReadyToRun: the node's dependencies precompiled for linux-x64, so start-up JIT-compiles a fraction of the methods.
    dotnet publish src/Orchestrator.Node -c "$configuration" -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      --nologo -v quiet -clp:ErrorsOnly -o "$output"
    echo "published to $output: run it with  dotnet $output/Orchestrator.Node.dll [--config FILE]"
    ;;
  test)
    restore_and_build
    # The code style of .editorconfig (whitespace, import order): a change that breaks it fails the test command.
    dotnet format Orchestrator.sln --verify-no-changes --no-restore -v quiet
    rm -rf "$results"
    # -m:1: one test assembly at a time; on 2 cores, node processes of one assembly otherwise starve the timers of another.
    dotnet test Orchestrator.sln -c "$configuration" --no-build --nologo -m:1 \
      --results-directory "$results" --logger "console;verbosity=minimal" "$@"
    ;;
  bench)
    restore_and_build
    exec dotnet "bench/Orchestrator.Benchmarks/bin/$configuration/net10.0/Orchestrator.Benchmarks.dll" "$@"
    ;;
  *)
    echo "usage: ./build.sh run|node|publish|test|bench [args]" >&2
    exit 64
    ;;
esac
