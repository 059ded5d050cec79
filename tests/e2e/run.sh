#!/usr/bin/env bash
# Drives the real desktop app through WebKitWebDriver (the driver tauri-driver wraps) under the
# current X display. Usage: run.sh path/to/switchboard-desktop
# Needs SWITCHBOARD_E2E_SERVER_URL, SWITCHBOARD_E2E_SIM_URL, SWITCHBOARD_E2E_SERVER_PID (the suite
# kills the server to check the offline cache) and SWITCHBOARD_E2E_DATA_DIR.
set -uo pipefail
cd "$(dirname "$0")"
BIN=${1:?usage: run.sh path/to/switchboard-desktop}
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
mkdir -p artifacts "$SWITCHBOARD_E2E_DATA_DIR"

# The app inherits this environment from the driver that launches it.
export SWITCHBOARD_DATA_DIR="$SWITCHBOARD_E2E_DATA_DIR"
# Without a GPU the app paints without compositing (src-tauri/src/rendering.rs); WebKitWebDriver
# then takes up to a minute per screenshot of a conversation. The suite paints as a machine
# with a GPU does, so its screenshots take milliseconds; the app's own behaviour is the same.
export WEBKIT_FORCE_COMPOSITING_MODE=1
TAURI_WEBVIEW_AUTOMATION=true WebKitWebDriver --port="$PORT" >artifacts/webdriver.log 2>&1 &
DRIVER=$!
trap 'kill $DRIVER 2>/dev/null; wait $DRIVER 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/status" >/dev/null 2>&1 && break
  sleep 0.1
done
WEBDRIVER_URL="http://127.0.0.1:$PORT" node desktop.mjs "$BIN"
