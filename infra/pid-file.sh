# Sourced by ./mailops and the infra/ scripts: whether a pid file still names the process it was written for.

# Prints the pid in the file if that process is alive and its command line contains the command (a pid
# the kernel reused for another process does not count); else prints nothing and returns 1. Builtins
# only: watchdogs ask every few seconds, and a forked tr and grep per question were most of an idle mail
# host's CPU.
pid_from_file() {
  local file=$1 command=$2 pid="" args=()
  [[ -f $file ]] || return 1
  read -r pid <"$file" || [[ -n $pid ]] || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  mapfile -d '' args 2>/dev/null <"/proc/$pid/cmdline" || return 1
  [[ ${args[*]} == *"$command"* ]] && echo "$pid"
}
