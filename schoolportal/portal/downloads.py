from django.http import FileResponse


def private_download(document, filename):
    """A document as a download under ``filename``: never shown inline from our origin (an
    uploaded page or image could otherwise run in it), and kept by no cache."""
    document.file.open("rb")
    response = FileResponse(document.file, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
