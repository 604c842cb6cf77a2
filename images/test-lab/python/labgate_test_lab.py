"""Serves the JupyterLab frontend built in images/test-lab as a Jupyter Server extension (test image only).

Debian 12 has python3-jupyterlab-server but no jupyterlab package, so this LabServerApp subclass plays
JupyterLab's LabApp: the page at <base_url>lab, settings, themes, translations, workspaces, and the
prebuilt extensions found in every Jupyter data dir's labextensions/ (labgate-jupyter among them).
"""

import os

from jupyterlab_server import LabServerApp

APP_DIR = "/usr/local/share/labgate-test-lab"
JUPYTERLAB_VERSION = "4.6.3"


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": LabgateTestLabApp}]


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
