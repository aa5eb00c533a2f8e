#!/usr/bin/env bash
# Local mail sink for development: GreenMail (a real SMTP server from Maven Central) that keeps every
# mail it receives and shows it in its web UI. The services send to it by default in the local run.
# Usage: infra/mail.sh start|stop|status|logs
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/infra/pid-file.sh"
SMTP_PORT=${MAILOPS_SMTP_PORT:-2525}
WEB_PORT=${MAILOPS_MAIL_WEB_PORT:-8025}
DATA_DIR=${MAILOPS_DATA_DIR:-$ROOT/.infra/data}
LIBS=${MAILOPS_MAIL_LIBS:-$ROOT/.infra/mail-libs}
# One version for the tests' embedded server and this one: the root POM's greenmail.version.
VERSION=$(sed -n 's:.*<greenmail.version>\(.*\)</greenmail.version>.*:\1:p' "$ROOT/pom.xml")
JAR=$LIBS/greenmail-standalone-$VERSION.jar
PID_FILE=$DATA_DIR/mail.pid
LOG=$DATA_DIR/mail.log
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

log() { echo "mail: $*"; }
die() { echo "mail: ERROR: $*" >&2; exit 1; }

# GreenMail's pid, if its pid file still names it; a stale file goes.
running_pid() { pid_from_file "$PID_FILE" greenmail || { rm -f "$PID_FILE"; return 1; }; }

ensure_jar() {
  [[ -f $JAR ]] && return
  local mvn=mvn
  [[ -x $ROOT/mvnw ]] && mvn=$ROOT/mvnw
  log "fetching GreenMail $VERSION into $LIBS"
  (cd "$ROOT" && "$mvn" -q -B -N dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$VERSION" \
    -DoutputDirectory="$LIBS") || die "fetching GreenMail failed"
}

start() {
  local pid
  if pid=$(running_pid); then
    log "already running (pid $pid): SMTP 127.0.0.1:$SMTP_PORT, web http://127.0.0.1:$WEB_PORT"
    return
  fi
  ensure_jar
  mkdir -p "$DATA_DIR"
  setsid nohup "$JAVA" -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT" \
    -Dgreenmail.auth.disabled -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$WEB_PORT" \
    -jar "$JAR" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/api/configuration" 2>/dev/null; then
      log "running: SMTP 127.0.0.1:$SMTP_PORT, received mail at http://127.0.0.1:$WEB_PORT"
      return
    fi
    running_pid >/dev/null || { tail -n 20 "$LOG" >&2; die "GreenMail exited during start-up"; }
    sleep 0.5
  done
  die "GreenMail not ready after 30 s"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    log "not running"
    return
  fi
  kill "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PID_FILE"
  log "stopped"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) if pid=$(running_pid); then log "running (pid $pid)"; else log "not running"; exit 3; fi ;;
  logs) exec tail -n 100 -F "$LOG" ;;
  *) echo "usage: $0 start|stop|status|logs" >&2; exit 2 ;;
esac
