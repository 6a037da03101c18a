#!/bin/sh
# Style and safety checks for the C sources.
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
# Layers: which directories of src/ each directory may include from (its
# own files always). The allowed graph must be acyclic (tsort checks it);
# "pending" lists edges that break it today and are being removed (each
# one is reported until it is gone, then delete it here).
layers="core: model:core store:core,model auth:core media:core render:core
content:core,model,store,auth,media,render site:core,content,model,render router:core
http:core,router,site,content
admin:core,auth,content,model,store,http,media,render,router,site"
pending="http:admin router:http"
edges=$(for l in $layers; do d=${l%%:*}; for x in $(echo "${l#*:}" | tr ',' ' '); do echo "$x $d"; done; done)
if ! echo "$edges" | tsort >/dev/null 2>&1; then
    echo "lint: the layer allow-list has a cycle"; rc=1
fi
for dir in src/*/; do
    d=$(basename "$dir")
    allowed=$(for l in $layers; do [ "${l%%:*}" = "$d" ] && echo "${l#*:}"; done | tr ',' ' ')
    for x in $(grep -ho '#include "\.\./[a-z_]*/' "$dir"*.[ch] 2>/dev/null | sed 's|#include "\.\./||; s|/$||' | sort -u); do
        [ "$x" = "$d" ] && continue
        case " $allowed " in *" $x "*) continue ;; esac
        case " $pending " in *" $d:$x "*) echo "lint: pending layer exception $d -> $x"; continue ;; esac
        echo "lint: src/$d may not include src/$x:"
        grep -n "#include \"\.\./$x/" "$dir"*.[ch]; rc=1
    done
done
if command -v cppcheck >/dev/null 2>&1; then
    cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
        --suppress=missingIncludeSystem --suppress=unknownMacro -I src src cmd || rc=1
fi
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
