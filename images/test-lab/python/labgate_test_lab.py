"""Serves the JupyterLab frontend built in images/test-lab as a Jupyter Server extension (test image only).

Debian 12 has python3-jupyterlab-server but no jupyterlab package, so this LabServerApp subclass plays
JupyterLab's LabApp: the page at <base_url>lab, settings, themes, translations, workspaces, and the
prebuilt extensions found in every Jupyter data dir's labextensions/ (labgate-jupyter among them).

JupyterLab 4 also asks for `api/me` and the `api/events/subscribe` WebSocket, which jupyter_server 2 has
and Debian's 1.23 lacks: answered here as 2.x answers them (an identity; an event bus with no events), so
the browser's console stays free of their 404s and retries.
"""

import getpass
import json
import os

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web, websocket

APP_DIR = "/usr/local/share/labgate-test-lab"
JUPYTERLAB_VERSION = "4.6.3"


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": LabgateTestLabApp}]


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

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.extend(
            [
                (r"/api/me", IdentityHandler),
                (r"/api/events", EventsHandler),
                (r"/api/events/subscribe", EventsSubscribeHandler),
            ]
        )
