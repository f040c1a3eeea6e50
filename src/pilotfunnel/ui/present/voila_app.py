"""The present server: Voila, plus one route that hands out the briefs Export wrote.

Voila serves files only from the notebook's own folder (``/voila/files/``), and the exports
folder is not there, so a link to an exported brief answered 404. ``PresentApp`` is Voila
with a route of its own, ``/exports/NAME``: it serves a file the kit wrote into the exports
folder (a brief's PDF or HTML, by name), as a download, and nothing else: no folder, no path,
no file a symlink leads out of the folder to. ``pilotfunnel present`` runs it
(``python -m pilotfunnel.ui.present.voila_app``).
"""

from __future__ import annotations

from pathlib import Path

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets import Unicode
from voila.app import Voila

from pilotfunnel.ui.present.exports import EXPORTS_ROUTE, SERVED, exported_file


class ExportsHandler(tornado.web.RequestHandler):
    """GET /exports/NAME: an exported brief, as an attachment; 404 for everything else."""

    def initialize(self, folder: str) -> None:
        self.folder = Path(folder)

    def _found(self, name: str) -> Path:
        path = exported_file(self.folder, name)
        if path is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", SERVED[path.suffix])
        # Named as written, and saved rather than opened inside the meeting's page.
        self.set_header("Content-Disposition", f'attachment; filename="{path.name}"')
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")  # a new export may replace it
        return path

    def head(self, name: str) -> None:
        self.set_header("Content-Length", str(self._found(name).stat().st_size))

    def get(self, name: str) -> None:
        self.write(self._found(name).read_bytes())


class PresentApp(Voila):
    """Voila with the exports route placed before its catch-all notebook route."""

    # The folder Export writes briefs into (server.voila_command sets it).
    exports_dir = Unicode("", config=True)

    def init_handlers(self) -> list:
        handlers = super().init_handlers()
        if not self.exports_dir:
            return handlers
        route = (
            url_path_join(self.server_url, EXPORTS_ROUTE + "(.*)"),
            ExportsHandler,
            {"folder": self.exports_dir},
        )
        return [route, *handlers]  # tornado takes the first match: ahead of Voila's "/(.*)"


main = PresentApp.launch_instance

if __name__ == "__main__":
    main()
