"""The privacy officer's pages: each incident's figures, deadlines and downloads.

Incidents are the scan folders under ``api.reports_dir``. A reviewer (or
admin) sees each incident's summary and deadlines, opens report.html, and
downloads its CSVs, drafts, letters and notices; every download and report
view is written to the audit chain (incident folder and file name only).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from crossguard.service.incidents import download_path, is_incident, read_incident
from crossguard.service.state import app_state
from crossguard.web.pages import current, render
from crossguard.web.session import WebSession

router = APIRouter(prefix="/ui/reports", include_in_schema=False)
MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8",
               ".json": "application/json", ".eml": "message/rfc822"}
#: report.html is the scan's own self-contained page: no script may run in it.
REPORT_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                  "Content-Security-Policy": "script-src 'none'; frame-ancestors 'none'"}


def _reports_dir(request: Request) -> Path | None:
    folder = app_state(request).settings.api.reports_dir
    return folder if folder is not None and folder.is_dir() else None


def _folder(request: Request, name: str) -> Path | None:
    """The incident folder called ``name`` (a plain name, never a path), if there is one."""
    root = _reports_dir(request)
    if root is None or name in (".", "..") or "/" in name or "\\" in name or not name:
        return None
    folder = root / name
    return folder if (folder / "report.html").is_file() else None


def _not_found(request: Request, session: WebSession, what: str) -> Response:
    return render(request, session, "error.html", 404, title="Not found",
                  message=f"There is no such {what}.")


@router.get("")
def incidents_page(request: Request) -> Response:
    """Every incident with its figures and the Art. 33 deadline."""
    session, denied = current(request)
    if denied:
        return denied
    root = _reports_dir(request)
    folders = sorted(child for child in root.iterdir()
                     if (child / "report.html").is_file()) if root else []
    incidents = [(folder.name, folder.stat().st_mtime,
                  read_incident(folder) if is_incident(folder) else None) for folder in folders]
    return render(request, session, "reports.html", incidents=incidents,
                  configured=app_state(request).settings.api.reports_dir is not None)


@router.get("/{name}")
def incident_page(request: Request, name: str) -> Response:
    """One incident: figures, deadlines with thresholds, and every downloadable output."""
    session, denied = current(request)
    if denied:
        return denied
    folder = _folder(request, name)
    if folder is None or not is_incident(folder):
        return _not_found(request, session, "incident")
    return render(request, session, "incident.html", incident=read_incident(folder))


@router.get("/{name}/report.html")
def report_file(request: Request, name: str) -> Response:
    """The incident's report.html, served from its folder (audited)."""
    session, denied = current(request)
    if denied:
        return denied
    folder = _folder(request, name)
    if folder is None:
        return _not_found(request, session, "report")
    _audit(request, session, "incident.view", name, "report.html")
    return FileResponse(folder / "report.html", media_type="text/html", headers=REPORT_HEADERS)


@router.get("/{name}/files/{file:path}")
def download(request: Request, name: str, file: str) -> Response:
    """One output of the incident as an attachment (audited); only listed outputs."""
    session, denied = current(request)
    if denied:
        return denied
    folder = _folder(request, name)
    target = download_path(folder, file) if folder is not None else None
    if target is None:
        return _not_found(request, session, "file")
    _audit(request, session, "incident.download", name, file)
    return FileResponse(target, media_type=MEDIA_TYPES.get(target.suffix,
                                                           "application/octet-stream"),
                        filename=target.name,
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _audit(request: Request, session: WebSession, event: str, incident: str, file: str) -> None:
    """Who downloaded what: folder and file names only (letters are named by customer id)."""
    app_state(request).store.audit.record(f"web:{session.user}", event,
                                          {"incident": incident, "file": file})
