# A warm pool's Jupyter server, waiting for its learner (run by labgate as `python3 -c`, never installed).
#
# It loads Jupyter Server and the server extensions the image enables, rehearses a start, then listens
# on port 8888 for one claim: a POST from labgate carrying this container's pool key, the learner's base
# URL and token. It then closes that door and starts Jupyter Server exactly as a cold workspace does,
# with those values. The key is useless once claimed (nothing listens for claims any more) and is
# dropped from the environment before any learner code could run.
import glob
import importlib
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import jupyter_server.serverapp  # noqa: F401  (the slow part of a cold start)
from jupyter_core.paths import jupyter_config_path
from traitlets.config import SingletonConfigurable


def enabled_extensions():
    names = {}
    # Lowest priority first, as Jupyter reads them: later files override earlier ones.
    for folder in reversed(jupyter_config_path()):
        files = [os.path.join(folder, "jupyter_server_config.json")]
        files += sorted(glob.glob(os.path.join(folder, "jupyter_server_config.d", "*.json")))
        for path in files:
            try:
                with open(path) as f:
                    found = json.load(f).get("ServerApp", {}).get("jpserver_extensions", {})
            except (OSError, ValueError, AttributeError):
                continue
            names.update(found)
    return [name for name, on in names.items() if on]


for name in enabled_extensions():
    try:
        importlib.import_module(name)
    except Exception:  # the server reports it properly when it loads it
        pass


def rehearse():
    """Initializes a throwaway server (placeholder base URL, nothing listening), then forgets it.

    Linking and loading the server extensions imports most of what a start needs (nbclassic alone
    imports IPython's terminal: 0.3 s); done here, the learner's own start takes a few hundredths.
    Anything that goes wrong is left for the real start to report.
    """
    args = [a.replace("{base_url}", "/labgate-pool/") for a in sys.argv[1:]]
    try:
        jupyter_server.serverapp.ServerApp.instance().initialize(
            args + ["--ServerApp.log_level=WARN"], new_httpserver=False
        )
    except BaseException:  # noqa: BLE001  (a config error raises SystemExit)
        pass
    # Every singleton it made goes (the server and its extension apps), and its signal handlers.
    pending = [SingletonConfigurable]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        cls._instance = None
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


rehearse()

KEY = os.environ.pop("LABGATE_POOL_KEY", "")
claim = {}


class Door(BaseHTTPRequestHandler):
    timeout = 5  # a connection that says nothing does not hold the door

    def do_GET(self):
        self.send_response(200 if self.path == "/labgate-pool" else 404)
        self.end_headers()

    def do_POST(self):
        try:
            body = json.loads(self.rfile.read(min(int(self.headers.get("content-length", "0")), 65536)))
            good = (
                isinstance(body, dict)
                and KEY
                and body.get("key") == KEY
                and isinstance(body.get("baseUrl"), str)
                and body["baseUrl"].startswith("/")
                and isinstance(body.get("token"), str)
            )
        except ValueError:
            good = False
        if good:
            claim.update(body)
        self.send_response(200 if good else 403)
        self.end_headers()

    def log_message(self, *args):
        pass


door = HTTPServer(("0.0.0.0", 8888), Door)
while not claim:
    door.handle_request()
door.server_close()

os.environ["JUPYTER_TOKEN"] = claim["token"]
# The server's arguments follow the program (`python3 -c SOURCE ARG...`), the base URL left blank.
sys.argv = [sys.argv[0]] + [a.replace("{base_url}", claim["baseUrl"]) for a in sys.argv[1:]]
sys.exit(jupyter_server.serverapp.main())
