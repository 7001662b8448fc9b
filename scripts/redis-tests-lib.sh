# Sourced by the scripts that run Redis 7.0.15's own test suite (redis-tests.sh: tests/unit;
# redis-cluster-tests.sh: tests/cluster), from the repository's root: obtaining the suite from Debian's source
# package into the cache, and finding tclsh. The sourcing script defines say and fail (its own message prefix).
# Sets CACHE, REDIS_VERSION; fetch sets TREE (the unpacked suite), need_tcl sets TCLSH.
CACHE=${REDIS_TESTS_DIR:-$HOME/.cache/akka-redis-tests}
REDIS_VERSION=7.0.15
APT_FILE=/etc/apt/sources.list.d/akka-redis-tests-deb-src.sources

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The deb-src stanzas: one per Debian "deb" entry apt already has (one-line .list files and deb822 .sources),
# same URIs, suites, components and keyring. Entries of other repositories are left out.
deb_src_stanzas() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '
      /^[ \t]*deb[ \t]/ {
        opts = ""; i = 2
        if ($2 ~ /^\[/) { while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) break; i++ }; i++ }
        uri = $i; suite = $(i + 1); comps = ""
        for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
        if (uri !~ /\/debian(-security)?\/?$/ && uri !~ /snapshot\.debian\.org/) next
        signed = ""
        if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
        print "Types: deb-src"; print "URIs: " uri; print "Suites: " suite; print "Components: " comps
        if (signed != "") print "Signed-By: " signed
        print ""
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$APT_FILE" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (uris ~ /\/debian(-security)?\/?( |$)/ || uris ~ /snapshot\.debian\.org/)) {
          print "Types: deb-src"; print "URIs: " uris; print "Suites: " suites; print "Components: " comps
          if (signed != "") print "Signed-By: " signed
          print ""
        }
        types = uris = suites = comps = signed = enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      { key = tolower($1); sub(/:$/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val) }
      key == "types" { types = val } key == "uris" { uris = val } key == "suites" { suites = val }
      key == "components" { comps = val } key == "signed-by" { signed = val } key == "enabled" { enabled = val }
      END { flush() }' "$f"
  done
}

# The Debian version of the redis source package to use: the installed redis-server's own version when it
# is a 7.0.15 one (its tests then match the binary: Debian's security updates add tests with their fixes),
# else the newest 7.0.15 version apt offers.
installed_version() {
  dpkg-query -W -f '${Version}' redis-server 2> /dev/null | grep -E "^([0-9]+:)?${REDIS_VERSION//./\\.}-"
}
offered_versions() {
  apt-cache showsrc redis 2> /dev/null | sed -n 's/^Version: //p' | grep -E "^([0-9]+:)?${REDIS_VERSION//./\\.}-"
}
pick_version() {
  local installed; installed=$(installed_version)
  if [ -n "$installed" ] && offered_versions | grep -qxF "$installed"; then
    echo "$installed"
  else
    offered_versions | sort -V | tail -n 1
  fi
}

fetch() {
  local wanted tree
  wanted=$(pick_version)
  [ -n "$wanted" ] || wanted=$(installed_version)
  if [ -n "$wanted" ]; then
    tree=$CACHE/redis-${wanted#*:}
    if [ -f "$tree/.akka-redis-tests" ] && [ -f "$tree/tests/test_helper.tcl" ]; then
      TREE=$tree
      return
    fi
  fi
  command -v apt-get > /dev/null || fail "apt-get is missing: the test suite comes from Debian's redis source package"
  local version; version=$(pick_version)
  if [ -z "$version" ] || { [ -n "$(installed_version)" ] && [ "$version" != "$(installed_version)" ]; }; then
    local stanzas; stanzas=$(deb_src_stanzas)
    [ -n "$stanzas" ] || fail "apt has no Debian mirror configured (/etc/apt/sources.list, /etc/apt/sources.list.d/)"
    if [ ! -f "$APT_FILE" ] || [ "$(grep -v '^#' "$APT_FILE" | sed '/./,$!d')" != "$stanzas" ]; then
      say "adding deb-src entries for apt's Debian mirror in $APT_FILE"
      { echo "# deb-src for the Debian mirror and suites apt already uses; written by akka-redis-cluster's"
        echo "# scripts/redis-tests.sh to get Redis's test suite (apt-get source redis). Removing it is harmless."
        echo
        echo "$stanzas"; } | as_root tee "$APT_FILE" > /dev/null || fail "could not write $APT_FILE"
    fi
    say "apt-get update"
    as_root apt-get update -qq > /dev/null || fail "apt-get update failed"
    version=$(pick_version)
    [ -n "$version" ] || fail "apt's Debian mirror has no redis $REDIS_VERSION source package" \
      "(apt-cache showsrc redis: $(apt-cache showsrc redis 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' '))"
  fi
  tree=$CACHE/redis-${version#*:}
  mkdir -p "$CACHE/download" || fail "cannot create $CACHE"
  say "apt-get source --download-only redis=$version (into $CACHE/download)"
  (cd "$CACHE/download" && apt-get source --download-only -qq "redis=$version" > apt-get-source.log 2>&1) \
    || fail "apt-get source failed; see $CACHE/download/apt-get-source.log"
  local dsc; dsc=$(ls "$CACHE"/download/redis_"${version#*:}".dsc 2>/dev/null)
  [ -n "$dsc" ] || fail "apt-get source gave no redis_${version#*:}.dsc in $CACHE/download"
  rm -rf "$tree" "$tree.tmp"
  if command -v dpkg-source > /dev/null; then
    # Debian's patches applied: the same source Debian's redis-server binary was built from.
    (cd "$CACHE/download" && dpkg-source --no-check -x "$dsc" "$tree.tmp" > dpkg-source.log 2>&1) \
      || fail "dpkg-source -x failed; see $CACHE/download/dpkg-source.log"
    rm -f "$CACHE"/redis_*.orig.tar.*   # dpkg-source leaves the orig tarball beside the tree
  else
    mkdir -p "$tree.tmp" && tar -xzf "$CACHE"/download/redis_"$REDIS_VERSION".orig.tar.gz -C "$tree.tmp" \
      --strip-components=1 || fail "could not unpack the orig tarball"
  fi
  # Only the harness is kept: runtest*, tests/, and the files beside them; the C sources and deps go.
  # src/ keeps links to Debian's binaries, for the few tests that exec src/redis-cli and the like.
  rm -rf "$tree.tmp/deps" "$tree.tmp/src"
  mkdir -p "$tree.tmp/src"
  local bin
  for bin in redis-server redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    [ -x "/usr/bin/$bin" ] && ln -s "/usr/bin/$bin" "$tree.tmp/src/$bin"
  done
  echo "Debian's redis $version source package" > "$tree.tmp/.akka-redis-tests"
  mv "$tree.tmp" "$tree"
  say "Redis's test suite is in $tree ($(cat "$tree/.akka-redis-tests"))"
  TREE=$tree
}

need_tcl() {
  TCLSH=
  local v
  for v in 8.5 8.6 8.7; do command -v "tclsh$v" > /dev/null && TCLSH=$(command -v "tclsh$v"); done
  if [ -z "$TCLSH" ]; then
    say "apt-get install tcl (the harness is Tcl)"
    as_root apt-get install -y -qq tcl > /dev/null || fail "apt-get install tcl failed"
    for v in 8.5 8.6 8.7; do command -v "tclsh$v" > /dev/null && TCLSH=$(command -v "tclsh$v"); done
    [ -n "$TCLSH" ] || fail "no tclsh8.5/8.6/8.7 after installing tcl"
  fi
}
