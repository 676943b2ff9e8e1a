# The command-line conventions of the programs in scripts/, sourced by each of them:
#   -h or --help       the usage on standard output, exit 0, before anything is built or started;
#   an unknown option or a bad value
#                      the reason and the usage on standard error, exit 2;
#   a missing tool     its name and the Debian package that provides it, exit 1;
#   a build            announced on standard error, Maven in batch mode without colour (and
#                      .mvn/jvm.config keeps Maven's colour resets out of piped output).
# The sourcing program sets `program` (its name in messages) and `usage` (its usage text, the
# first line starting with "usage: ") before calling these functions.

# The usage and exit 0 if any argument before "--" is -h or --help.
cli_answer_help() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --) return 0 ;;
      -h|--help) printf '%s\n' "$usage"; exit 0 ;;
    esac
  done
}

# cli_refuse REASON: the reason and the usage on standard error, exit 2.
cli_refuse() {
  printf '%s: %s\n%s\n' "$program" "$1" "$usage" >&2
  exit 2
}

# cli_no_arguments ARGUMENT...: refuses the first argument, for programs that take none.
cli_no_arguments() {
  if (( $# > 0 )); then
    [[ "$1" == -* ]] && cli_refuse "unknown option $1"
    cli_refuse "unexpected argument $1"
  fi
}

# cli_value OPTION ARGUMENT_COUNT: refuses OPTION when no value follows it.
cli_value() {
  (( $2 >= 2 )) || cli_refuse "$1 needs a value"
}

# cli_whole_number OPTION VALUE [MINIMUM]: refuses VALUE unless it is a whole number of at least
# MINIMUM (default 1).
cli_whole_number() {
  local minimum="${3:-1}"
  if [[ ! "$2" =~ ^[0-9]{1,9}$ ]] || (( 10#$2 < minimum )); then
    cli_refuse "$1 needs a whole number of at least $minimum, not '$2'"
  fi
}

# cli_positive_number OPTION VALUE: refuses VALUE unless it is a decimal number above 0.
cli_positive_number() {
  if [[ ! "$2" =~ ^([0-9]{1,9}(\.[0-9]*)?|\.[0-9]+)$ ]] || [[ "$2" =~ ^[0.]*$ ]]; then
    cli_refuse "$1 needs a number above 0, not '$2'"
  fi
}

# cli_one_of OPTION VALUE CHOICE...: refuses VALUE unless it is one of the choices.
cli_one_of() {
  local option="$1" value="$2" choice
  shift 2
  for choice in "$@"; do
    [[ "$value" == "$choice" ]] && return 0
  done
  local IFS='|'
  cli_refuse "$option must be one of $*, not '$value'"
}

# cli_check_against_usage POSITIONALS ARGUMENT...: refuses every option that the usage's synopsis
# does not name ("[--name VALUE]" takes a value, "[--name]" none; "--name=value" only if the
# usage mentions that form), and any positional argument unless POSITIONALS is
# "positionals-allowed". For scripts that pass their arguments on to a Java program, which checks
# the values itself.
cli_check_against_usage() {
  local positionals="$1"
  shift
  local with_value switches name
  with_value=" $( (grep -oE '\[--[a-z0-9-]+ ' <<<"$usage" || true) | tr -d '[ ' | tr '\n' ' ')"
  switches=" $( (grep -oE '\[--[a-z0-9-]+\]' <<<"$usage" || true) | tr -d '[]' | tr '\n' ' ')"
  while (( $# > 0 )); do
    case "$1" in
      --)
        [[ "$positionals" == positionals-allowed ]] || cli_refuse "unexpected argument --"
        return 0
        ;;
      --*=*)
        name="${1%%=*}"
        [[ "$with_value" == *" $name "* ]] || cli_refuse "unknown option $name (or it takes no value)"
        [[ "$usage" == *"--name=value"* ]] || cli_refuse "write $name VALUE, not $1"
        shift
        ;;
      -*)
        if [[ "$with_value" == *" $1 "* ]]; then
          cli_value "$1" $#
          shift 2
        elif [[ "$switches" == *" $1 "* ]]; then
          shift
        else
          cli_refuse "unknown option $1"
        fi
        ;;
      *)
        [[ "$positionals" == positionals-allowed ]] || cli_refuse "unexpected argument $1"
        shift
        ;;
    esac
  done
}

# cli_need_tool COMMAND DEBIAN_PACKAGE: exit 1 naming the package when COMMAND is not installed.
cli_need_tool() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "$program: $1 is not installed; on Debian or Ubuntu: sudo apt-get install $2" >&2
    exit 1
  fi
}

# cli_build WHY MAVEN_ARGUMENT...: says so on standard error, then runs Maven quietly in batch
# mode without colour, its output on standard error.
cli_build() {
  local why="$1"
  shift
  cli_need_tool mvn maven
  cli_need_tool java openjdk-17-jdk-headless
  echo "$program: building $why ..." >&2
  mvn -q -B -Dstyle.color=never "$@" >&2
}

# cli_build_main_if_stale ROOT: builds the main classes and target/classpath.txt unless they are
# newer than src/main and pom.xml (one stamp for every script that runs a main program).
cli_build_main_if_stale() {
  local root="$1" stamp="$1/target/.main-build"
  if [[ ! -f "$stamp" || ! -f "$root/target/classpath.txt" || ! -d "$root/target/classes" ]] \
      || [[ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    cli_build "(the first run downloads dependencies)" -f "$root/pom.xml" -Dmaven.test.skip=true package
    touch "$stamp"
  fi
}

# cli_progress PID SECONDS WHAT: while PID runs, shows the elapsed time, the share of SECONDS and
# WHAT (e.g. "200 sessions") on standard error: one line rewritten each second on a terminal, a
# plain line each minute otherwise. Returns when PID has ended.
cli_progress() {
  local pid="$1" total="$2" what="$3" start=$SECONDS next_plain_line=60 elapsed percent line
  local terminal=false
  [[ -t 2 ]] && terminal=true
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    elapsed=$((SECONDS - start))
    percent=$(( total > 0 ? elapsed * 100 / total : 0 ))
    (( percent > 100 )) && percent=100
    line="$(printf '%s: %d:%02d of %d:%02d elapsed (%d %%), %s' "$program" $((elapsed / 60)) $((elapsed % 60)) \
      $((total / 60)) $((total % 60)) "$percent" "$what")"
    if $terminal; then
      printf '\r%s ' "$line" >&2
    elif (( elapsed >= next_plain_line )); then
      printf '%s\n' "$line" >&2
      next_plain_line=$((next_plain_line + 60))
    fi
  done
  $terminal && printf '\n' >&2
  return 0
}
