"""Opening a Word document or template (.docx, .dotx) with python-docx: one place for the upload
check of the municipality's Word template and for the renderer that starts from it."""

import zipfile
from io import BytesIO

import docx

TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class WordFileError(ValueError):
    """The file is not a Word document or template python-docx can open."""


def as_document(data: bytes) -> bytes:
    """A .dotx as a .docx: the same package but for the main part's content type, the only
    thing that keeps python-docx from opening a template."""
    try:
        source = zipfile.ZipFile(BytesIO(data))
        types = source.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WordFileError(str(error)) from error
    if TEMPLATE_TYPE not in types:
        return data
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
            target.writestr(item, content)
    return out.getvalue()


def open_word(data: bytes):
    """The python-docx ``Document`` of a .docx or .dotx; ``WordFileError`` if it is neither."""
    try:
        return docx.Document(BytesIO(as_document(data)))
    except WordFileError:
        raise
    except Exception as error:  # python-docx raises several kinds on a file it cannot read
        raise WordFileError(str(error)) from error
