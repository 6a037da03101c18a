#!/bin/sh
# Style and safety checks for the C sources, and the include rules between
# the directories of src/ (scripts/layers.txt).
set -u
cd "$(dirname "$0")/.."
rc=0
files=$(git ls-files '*.c' '*.h')
if ! clang-format --dry-run -Werror $files; then
    echo "lint: run 'make format'"; rc=1
fi
banned=$(git ls-files 'src/*.c' 'src/*.h' 'cmd/*.c' | xargs grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)\s*\(' || true)
if [ -n "$banned" ]; then
    echo "lint: banned functions:"; echo "$banned"; rc=1
fi
# SQL must never be assembled with printf-style formatting.
sqlfmt=$(git ls-files 'src/*.c' | xargs grep -nE '(printf|mh_buf_printf)\s*\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE)\b' || true)
if [ -n "$sqlfmt" ]; then
    echo "lint: SQL built with printf:"; echo "$sqlfmt"; rc=1
fi
# Which directory may include which (scripts/layers.txt), and no cycles.
if ! sh scripts/check-includes.sh; then
    echo "lint: include rules broken (see scripts/layers.txt)"; rc=1
fi
if command -v cppcheck >/dev/null 2>&1; then
    cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
        --suppress=missingIncludeSystem --suppress=unknownMacro -I src src cmd || rc=1
fi
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
