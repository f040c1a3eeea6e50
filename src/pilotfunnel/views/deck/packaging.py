"""The deck as the same bytes for the same inputs: the brief's date wherever a part records
when it was made, and fixed zip times."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DOS_1980 = struct.pack("<HH", 0, (1 << 5) | 1)  # MS-DOS time 00:00:00, date 1980-01-01
_CREATED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def dated(properties, day: dt.date) -> None:
    """The deck's core properties created and modified on the brief's date, not the clock's."""
    moment = dt.datetime.combine(day, dt.time())
    properties.created = properties.modified = moment


def reproducible(prs, day: dt.date) -> bytes:
    """The deck as the same bytes for the same inputs: the date of the brief wherever a part
    records when it was made (the charts' embedded workbooks included), fixed zip times."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart.part.chart_workbook
                workbook.update_from_xlsx_blob(_redated_workbook(workbook.xlsx_part.blob, stamp))
    buffer = io.BytesIO()
    prs.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _redated_workbook(archive: bytes, stamp: bytes) -> bytes:
    """A workbook with its core properties' dates set to ``stamp`` (XlsxWriter's own zip
    times are fixed already)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # in the archive's own order: [Content_Types] first
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if info.filename.endswith("core.xml"):
                data = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            target.writestr(entry, data)
    return buffer.getvalue()


def _fixed_zip_times(archive: bytes) -> bytes:
    """The archive with every member's time set to 1980-01-01, in place: python-pptx stamps
    the clock, and writing the archive again would compress every part twice."""
    data = bytearray(archive)
    end = data.rfind(b"PK\x05\x06")
    count, _, directory = struct.unpack_from("<HII", data, end + 10)
    position = directory
    for _ in range(count):
        if data[position : position + 4] != b"PK\x01\x02":
            raise ValueError("not a zip central directory entry")  # never, from python-pptx
        names, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        (local,) = struct.unpack_from("<I", data, position + 42)
        data[position + 12 : position + 16] = _DOS_1980
        data[local + 10 : local + 14] = _DOS_1980
        position += 46 + names + extra + comment
    return bytes(data)
