"""Serves the JupyterLab frontend built in images/test-lab as a Jupyter Server extension (test image only).

Debian 12 has python3-jupyterlab-server but no jupyterlab package, so this LabServerApp subclass plays
JupyterLab's LabApp: the page at <base_url>lab, settings, themes, translations, workspaces, and the
prebuilt extensions found in every Jupyter data dir's labextensions/ (labgate-jupyter among them).

JupyterLab 4 also asks for `api/me` and the `api/events/subscribe` WebSocket, which jupyter_server 2 has
and Debian's 1.23 lacks: answered here as 2.x answers them (an identity; an event bus with no events), so
the browser's console stays free of their 404s and retries.

Static files are cached as JupyterLab 4 on jupyter_server 2 caches them: a bundle named by its content hash
for a year, immutable; anything else revalidated (1.23 has every bundle revalidated on each load).
"""

import getpass
import hashlib
import json
import os
import re

from jupyter_server.base.handlers import APIHandler, FileFindHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web, websocket

APP_DIR = "/usr/local/share/labgate-test-lab"
JUPYTERLAB_VERSION = "4.6.3"


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": LabgateTestLabApp}]


# webpack's [contenthash] in a file name (16 hex digits from rspack and @jupyter/builder): fixed bytes.
CONTENT_HASHED_NAME = re.compile(r"(?:^|\.)[0-9a-f]{16,}\.\w+$")


class BundleFileHandler(FileFindHandler):
    """FileFindHandler, but a content-hashed bundle (chunks, fonts, an extension's remoteEntry): immutable."""

    def set_headers(self):
        super().set_headers()
        if CONTENT_HASHED_NAME.search(os.path.basename(self.absolute_path or "")):
            self.set_header("Cache-Control", "max-age=31536000, immutable")
            self.clear_header("Expires")  # tornado's ten years for a ?v= URL


class IdentityHandler(APIHandler):
    """GET api/me: who is signed in and which of the asked permissions they hold (jupyter_server 2.x)."""

    _track_activity = False

    @web.authenticated
    def get(self):
        user = self.current_user
        username = user if isinstance(user, str) else getpass.getuser()
        # A token-authenticated 1.x server names its user by a random id; the container's user reads better.
        name = getpass.getuser()
        identity = {
            "username": username,
            "name": name,
            "display_name": name,
            "initials": name[:1].upper() or None,
            "avatar_url": None,
            "color": None,
        }
        try:
            wanted = json.loads(self.get_argument("permissions", "{}"))
        except ValueError as err:
            raise web.HTTPError(400, f"permissions should be a JSON object: {err}") from err
        if not isinstance(wanted, dict):
            raise web.HTTPError(400, "permissions should be a JSON object of resources to actions")
        permissions = {
            resource: [a for a in actions if self.authorizer.is_authorized(self, user, a, resource)]
            for resource, actions in wanted.items()
            if isinstance(actions, list)
        }
        self.finish(json.dumps({"identity": identity, "permissions": permissions}))


class EventsHandler(APIHandler):
    """POST api/events: accepted and dropped, as nothing here listens to the event bus."""

    @web.authenticated
    def post(self):
        try:
            event = json.loads(self.request.body or b"null")
        except ValueError as err:
            raise web.HTTPError(400, f"the event should be JSON: {err}") from err
        if not isinstance(event, dict) or not {"schema_id", "version", "data"} <= event.keys():
            raise web.HTTPError(400, "an event needs schema_id, version and data")
        self.set_status(204)
        self.finish()


class EventsSubscribeHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """The api/events/subscribe WebSocket: open for signed-in users, silent (no server events here)."""

    _track_activity = False

    def set_default_headers(self):
        """No page headers on a WebSocket handshake (as jupyter_server's own WebSocket handlers)."""

    async def get(self, *args, **kwargs):
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)

    def on_message(self, message):
        """Subscribers only listen."""


class LabgateTestLabApp(LabServerApp):
    # jupyter_server 1.23 finds extension apps by module name: name = "lab" dies with KeyError: 'lab'.
    name = __name__
    extension_url = "/lab"
    default_url = "/lab"
    app_name = "JupyterLab"
    app_version = JUPYTERLAB_VERSION
    app_settings_dir = os.path.join(APP_DIR, "settings")
    schemas_dir = os.path.join(APP_DIR, "schemas")
    static_dir = os.path.join(APP_DIR, "static")
    templates_dir = os.path.join(APP_DIR, "templates")
    themes_dir = os.path.join(APP_DIR, "themes")
    user_settings_dir = os.path.expanduser("~/.jupyter/lab/user-settings")
    workspaces_dir = os.path.expanduser("~/.jupyter/lab/workspaces")

    def initialize_settings(self):
        super().initialize_settings()
        # The page loads main.js by name, with its content hash as ?v=: a rebuilt frontend is a new URL.
        with open(os.path.join(self.static_dir, "main.js"), "rb") as main:
            digest = hashlib.sha256(main.read()).hexdigest()[:16]
        self.settings.setdefault("page_config_data", {})["mainScriptHash"] = digest

    def initialize_handlers(self):
        super().initialize_handlers()
        # The labextensions' FileFindHandler, and ahead of ExtensionApp's own, the frontend's static files.
        self.handlers = [
            (h[0], BundleFileHandler if h[1] is FileFindHandler else h[1], *h[2:]) for h in self.handlers
        ]
        self.handlers.extend(
            [
                (rf"/static/{self.name}/(.*)", BundleFileHandler, {"path": self.static_paths}),
                (r"/api/me", IdentityHandler),
                (r"/api/events", EventsHandler),
                (r"/api/events/subscribe", EventsSubscribeHandler),
            ]
        )
