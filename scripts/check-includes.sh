#!/bin/sh
# Include rules between the directories of src/ (and cmd/), from
# scripts/layers.txt: every `#include "..."` that reaches another directory
# must be allowed there, and the include graph must have no cycle.
#   scripts/check-includes.sh [layers-file]
# Prints each violating include as file:line and each cycle as a path of
# directories; exits 1 if there is any. The graph's nodes are directories,
# except that a header allowed on its own in layers.txt (router may include
# http/request.h) is a node of its own, standing for itself and the headers
# of its directory it includes.
set -u
cd "$(dirname "$0")/.."
layers=${1:-scripts/layers.txt}
[ -r "$layers" ] || { echo "check-includes: cannot read $layers" >&2; exit 2; }
files=$(find src cmd -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
[ -n "$files" ] || exit 0
# shellcheck disable=SC2086
grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files /dev/null |
awk -v layers="$layers" '
function normalize(path,    n, i, parts, out, k, j) {
    n = split(path, parts, "/")
    k = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "" || parts[i] == ".")
            continue
        if (parts[i] == ".." && k > 0 && out[k] != "..") {
            k--
            continue
        }
        out[++k] = parts[i]
    }
    path = ""
    for (j = 1; j <= k; j++)
        path = path (j > 1 ? "/" : "") out[j]
    return path
}
# The layer of a path: "cmd", or the directory under src/ ("" if neither).
function layer(path,    p) {
    if (path ~ /^cmd\//)
        return "cmd"
    if (path ~ /^src\/[^\/]+\//) {
        p = substr(path, 5)
        return substr(p, 1, index(p, "/") - 1)
    }
    return ""
}
function add_edge(a, b) {
    if (a == b || ((a, b) in edge))
        return
    edge[a, b] = 1
    succ[a] = succ[a] " " b
}
function dfs(v,    list, n, i, w, j, path) {
    color[v] = 1
    stack[++depth] = v
    n = split(succ[v], list, " ")
    for (i = 1; i <= n; i++) {
        w = list[i]
        if (color[w] == 1) {
            path = w
            for (j = depth; j >= 1 && stack[j] != w; j--)
                path = stack[j] " -> " path
            path = w " -> " path
            if (!(path in seen_cycle)) {
                seen_cycle[path] = 1
                print "cycle: " path
                bad = 1
            }
        } else if (color[w] == 0) {
            dfs(w)
        }
    }
    depth--
    color[v] = 2
}
BEGIN {
    while ((getline line < layers) > 0) {
        sub(/#.*/, "", line)
        if (line !~ /:/)
            continue
        name = line
        sub(/:.*/, "", name)
        gsub(/[[:space:]]/, "", name)
        rest = line
        sub(/^[^:]*:/, "", rest)
        known[name] = 1
        n = split(rest, words, /[[:space:]]+/)
        for (i = 1; i <= n; i++) {
            if (words[i] == "")
                continue
            allow[name, words[i]] = 1
            if (words[i] ~ /\//)
                filenode[words[i]] = 1
        }
    }
    close(layers)
}
{
    # file:line:#include "x.h"
    file = $0
    sub(/:.*/, "", file)
    rest = substr($0, length(file) + 2)
    lineno = rest
    sub(/:.*/, "", lineno)
    inc = rest
    sub(/^[^"]*"/, "", inc)
    sub(/".*/, "", inc)
    dir = file
    sub(/\/[^\/]*$/, "", dir)
    target = normalize(dir "/" inc)
    from = layer(file)
    to = layer(target)
    if (from == "" || to == "" || target !~ /^src\//)
        next
    if (from == to) {
        intra[file] = intra[file] " " target
        next
    }
    rel = substr(target, 5)
    node = (rel in filenode) ? rel : to
    out[file] = out[file] " " node
    files[file] = from
    if (!(from in known)) {
        printf "%s:%s: %s has no line in %s (includes %s)\n", file, lineno, from, layers, rel
        bad = 1
    } else if (!((from, "*") in allow) && !((from, to) in allow) && !((from, rel) in allow)) {
        printf "%s:%s: %s may not include %s\n", file, lineno, from, rel
        bad = 1
    }
}
END {
    # Directory edges from every file.
    for (f in out) {
        n = split(out[f], list, " ")
        for (i = 1; i <= n; i++)
            add_edge(files[f], list[i])
    }
    # A header node: its own edges and those of the same-directory headers
    # it reaches.
    for (h in filenode) {
        delete todo
        delete done
        todo["src/" h] = 1
        more = 1
        while (more) {
            more = 0
            for (f in todo) {
                if (f in done)
                    continue
                done[f] = 1
                more = 1
                n = split(intra[f], list, " ")
                for (i = 1; i <= n; i++)
                    todo[list[i]] = 1
                m = split(out[f], olist, " ")
                for (i = 1; i <= m; i++)
                    add_edge(h, olist[i])
            }
        }
    }
    for (v in known)
        if (color[v] == 0)
            dfs(v)
    for (v in filenode)
        if (color[v] == 0)
            dfs(v)
    exit bad ? 1 : 0
}'
