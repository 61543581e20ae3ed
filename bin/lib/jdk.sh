# Sourced by bin/kiln and bin/test: finds a JDK >= MIN_JAVA, because the machine's default java may be older.
# Sets JAVA (the java binary) and JDK_HOME, or exits with a one-line error.

readonly MIN_JAVA=25

# The major version of a java binary (8 for "1.8.0_x", 25 for "25.0.1"), or nothing when it does not run.
java_major() {
  local line version
  line="$("$1" -version 2>&1 | head -n 1)" || return 0
  version="$(sed -n 's/.*version "\([^"]*\)".*/\1/p' <<<"$line")"
  [[ -z "$version" ]] && return 0
  if [[ "$version" == 1.* ]]; then version="${version#1.}"; fi
  echo "${version%%[.+-]*}"
}

# A java binary of version >= MIN_JAVA: $JAVA_HOME, then java on PATH, then the newest under /usr/lib/jvm.
find_java() {
  local candidate major best="" best_major=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$major" && "$major" -ge $MIN_JAVA ]]; then echo "$JAVA_HOME/bin/java"; return; fi
  fi
  if candidate="$(command -v java 2>/dev/null)"; then
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge $MIN_JAVA ]]; then echo "$candidate"; return; fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge $MIN_JAVA && "$major" -gt $best_major ]]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [[ -n "$best" ]] && echo "$best"
}

JAVA="$(find_java)" || true
if [[ -z "$JAVA" ]]; then
  echo "kiln: no JDK $MIN_JAVA or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*); install one or set JAVA_HOME" >&2
  exit 1
fi
JDK_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
